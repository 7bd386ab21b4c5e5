import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { shippedAgentLaunch } from '@pantau/agent/launch';
import { describe, expect, it } from 'vitest';

describe("the agent's shipped launch", () => {
  it("is the bin's script and its shebang's Node flags, which this node accepts", () => {
    const launch = shippedAgentLaunch();
    expect(launch.mainPath).toMatch(/agent[/\\]bin[/\\]pantau-agent\.js$/);
    expect(existsSync(launch.mainPath)).toBe(true);
    const shebang = readFileSync(launch.mainPath, 'utf8').split('\n', 1)[0] ?? '';
    expect(shebang).toMatch(/^#!\/usr\/bin\/env -S /);
    expect(launch.flags.length).toBeGreaterThan(0);
    for (const flag of launch.flags) expect(shebang).toContain(` ${flag}`);
    // A flag this node does not know would stop the agent before it starts.
    expect(
      execFileSync(process.execPath, [...launch.flags, '-e', 'process.stdout.write("ok")'], { encoding: 'utf8' }),
    ).toBe('ok');
  });
});
