import { agentConfigSchema, agentEnvMap, deliveryIntervalSec, intervalSecSchema, keepaliveSec } from '@pantau/agent';
import { loadConfig } from '@pantau/shared';
import cron from 'node-cron';
import { describe, expect, it } from 'vitest';
import { configHash } from '../../../agent/src/config/config-hash.js';
import { cronForInterval } from '../../../agent/src/config/cron.js';

describe('agent config', () => {
  it('needs only a site id; everything else has a default', () => {
    const config = agentConfigSchema.parse({ siteId: 'kutim-01' });
    expect(config).toMatchObject({
      topicRoot: 'pantau/v1',
      mqtt: { url: 'mqtt://127.0.0.1:1883', backoffMinMs: 1000, backoffMaxMs: 300_000 },
      delivery: { profile: 'standard', encoding: 'columnar' },
      spool: { maxSamples: 43_200 },
      sample: { intervalSec: 60 },
      probes: { latency: { enabled: true, targets: [] }, uptime: { enabled: true } },
    });
  });

  it('delivers every 5 min, or 15 min when metered, with the keepalive matched to it', () => {
    const standard = agentConfigSchema.parse({ siteId: 's' });
    expect([deliveryIntervalSec(standard), keepaliveSec(standard)]).toEqual([300, 330]);
    const metered = agentConfigSchema.parse({ siteId: 's', delivery: { profile: 'metered' } });
    expect([deliveryIntervalSec(metered), keepaliveSec(metered)]).toEqual([900, 930]);
    const explicit = agentConfigSchema.parse({ siteId: 's', mqtt: { keepaliveSec: 2 }, delivery: { intervalSec: 1 } });
    // Never faster than sampling.
    expect([deliveryIntervalSec(explicit), keepaliveSec(explicit)]).toEqual([60, 2]);
  });

  it('takes latency targets from the environment as JSON, with per-target defaults', () => {
    const result = loadConfig(agentConfigSchema, {
      env: { PANTAU_SITE_ID: 's1', PANTAU_LATENCY_TARGETS: '[{"role":"terminal","host":"192.168.100.1"}]' },
      envMap: agentEnvMap,
    });
    expect(result.ok && result.value.probes.latency.targets).toEqual([
      { role: 'terminal', host: '192.168.100.1', count: 3, timeoutMs: 2000 },
    ]);
  });

  it('explains a bad role, naming the field and value', () => {
    const result = loadConfig(agentConfigSchema, {
      file: {
        path: 'agent.yaml',
        text: 'siteId: s1\nprobes:\n  latency:\n    targets:\n      - { role: modem, host: x }\n',
      },
      env: {},
      envMap: agentEnvMap,
    });
    expect(!result.ok && result.message).toMatch(
      /probes\.latency\.targets\.0\.role: .*got "modem" \(from file agent.yaml, line 5\)/,
    );
  });

  it('refuses a broker URL without a scheme', () => {
    expect(agentConfigSchema.safeParse({ siteId: 's1', mqtt: { url: 'broker:1883' } }).success).toBe(false);
  });

  it.each([1, 5, 10, 30, 60, 120, 300, 900, 3600])('accepts an interval of %i s', (s) => {
    expect(intervalSecSchema.safeParse(s).success).toBe(true);
  });
  it.each([0, 7, 45, 90, 420, 7200, 2.5])('refuses an interval of %s s', (s) => {
    expect(intervalSecSchema.safeParse(s).success).toBe(false);
  });

  it('turns intervals into valid cron expressions on wall-clock boundaries', () => {
    expect(cronForInterval(5)).toBe('*/5 * * * * *');
    expect(cronForInterval(60)).toBe('0 * * * * *');
    expect(cronForInterval(300)).toBe('0 */5 * * * *');
    expect(cronForInterval(3600)).toBe('0 0 * * * *');
    for (const s of [1, 2, 5, 15, 30, 60, 120, 600, 1800, 3600]) expect(cron.validate(cronForInterval(s))).toBe(true);
  });

  it('hashes the config without the password', () => {
    const a = agentConfigSchema.parse({ siteId: 's1', mqtt: { username: 's1', password: 'one' } });
    const b = agentConfigSchema.parse({ siteId: 's1', mqtt: { username: 's1', password: 'two' } });
    const c = agentConfigSchema.parse({ siteId: 's2' });
    expect(configHash(a)).toBe(configHash(b));
    expect(configHash(a)).not.toBe(configHash(c));
    expect(configHash(a)).toMatch(/^[0-9a-f]{12}$/);
  });
});
