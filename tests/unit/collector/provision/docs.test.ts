import { readFileSync } from 'node:fs';
import { collectorConfigSchema, parseCollectorArgs, provisionConfigSchema } from '@pantau/collector';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const doc = readFileSync(new URL('../../../../docs/provisioning.md', import.meta.url), 'utf8');
const block = /```yaml\n(provision:[\s\S]*?)```/.exec(doc)?.[1] ?? '';

describe('docs/provisioning.md', () => {
  it("its config block is a valid collector config and names every provision key with the schema's default", () => {
    const parsed = collectorConfigSchema.parse(parse(block));
    const defaults = provisionConfigSchema.parse({ siteBrokerUrl: 'mqtts://noc.example:8883' });
    const { pidFile, ...reload } = parsed.provision.reload;
    expect(pidFile).toBe('/run/mosquitto/mosquitto.pid');
    expect({ ...parsed.provision, reload }).toEqual(defaults);
  });

  it('the command line: provision, --rotate, --revoke and decommission', () => {
    const env = {};
    expect(parseCollectorArgs(['provision', 's1', '--rotate', '-c', 'c.yaml'], env)).toMatchObject({
      kind: 'provision',
      configPath: 'c.yaml',
      args: { siteId: 's1', action: 'rotate', assignments: [] },
    });
    expect(parseCollectorArgs(['provision', 's1', '--name', 'SD 1', '--group=school'], env)).toMatchObject({
      args: { action: 'provision', assignments: ['name=SD 1', 'group=school'] },
    });
    expect(parseCollectorArgs(['decommission', 's1', '--db', 'x.sqlite'], env)).toMatchObject({
      dbPath: 'x.sqlite',
      args: { action: 'revoke' },
    });
    expect(parseCollectorArgs(['provision', 's1', '--revoke'], env)).toMatchObject({ args: { action: 'revoke' } });
    expect(parseCollectorArgs(['provision', 's1', '--rotate', '--revoke'], env)).toMatchObject({ kind: 'usage_error' });
    expect(parseCollectorArgs(['provision'], env)).toEqual({ kind: 'usage_error', message: 'provision needs SITE' });
    expect(parseCollectorArgs(['decommission', 's1', '--name', 'x'], env)).toMatchObject({ kind: 'usage_error' });
  });
});
