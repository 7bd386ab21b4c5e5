import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const collector = fileURLToPath(new URL('../../../collector/', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

describe("a NOC install of the collector does not pull the site's agent", () => {
  it('the collector package does not depend on the agent package', () => {
    const pkg = JSON.parse(readFileSync(join(collector, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    expect(Object.keys(pkg.dependencies ?? {})).not.toContain('@pantau/agent');
  });

  it('no collector source imports it', () => {
    const importing = sources(join(collector, 'src')).filter((file) =>
      readFileSync(file, 'utf8').includes("'@pantau/agent"),
    );
    expect(importing).toEqual([]);
  });
});
