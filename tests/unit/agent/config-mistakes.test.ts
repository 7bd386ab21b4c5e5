import { agentConfigSchema, agentEnvMap } from '@pantau/agent';
import { collectorEnvMap } from '@pantau/collector';
import { loadConfig, PANTAU_ENV_NAMES, pantauStrictEnv } from '@pantau/shared';
import { describe, expect, it } from 'vitest';

/** The agent's config as `pantau-agent` loads it: a file, the environment, unknown names refused. */
function load(text: string, env: Record<string, string> = {}) {
  return loadConfig(agentConfigSchema, {
    file: { path: 'agent.yaml', text: `siteId: kutim-01\n${text}` },
    env,
    envMap: agentEnvMap,
    strictEnv: pantauStrictEnv,
  });
}
const problems = (result: ReturnType<typeof load>): string[] => (result.ok ? [] : result.message.split('\n'));

describe("a technician's mistakes in the agent's config are refused, each with what was meant", () => {
  it('mqtt: { uri } is not taken for the default broker', () => {
    expect(problems(load('mqtt:\n  uri: mqtt://noc.example:1883\n'))).toEqual([
      'mqtt.uri: unknown key; did you mean mqtt.url? (from file agent.yaml, line 3)',
    ]);
  });

  it('sampel: is not taken for the default interval', () => {
    expect(problems(load('sampel:\n  intervalSec: 300\n'))).toEqual([
      'sampel: unknown key; did you mean sample? (from file agent.yaml, line 2)',
    ]);
  });

  it('finds mistakes deep in probes and in the JSON of an environment variable', () => {
    expect(problems(load('probes:\n  power:\n    vedirect:\n      paht: /dev/ttyUSB1\n'))).toEqual([
      'probes.power.vedirect.paht: unknown key; did you mean probes.power.vedirect.path? (from file agent.yaml, line 5)',
    ]);
    const env = { PANTAU_LATENCY_TARGETS: '[{"role":"noc","host":"noc.example","timeout":500}]' };
    expect(problems(load('', env))).toEqual([
      'probes.latency.targets.0.timeout: unknown key; did you mean probes.latency.targets.0.timeoutMs? ' +
        '(from environment PANTAU_LATENCY_TARGETS)',
    ]);
  });

  it("refuses a mistyped environment variable, and lets the collector's pass", () => {
    expect(problems(load('', { PANTAU_SMAPLE_INTERVAL_SEC: '300' }))).toEqual([
      'PANTAU_SMAPLE_INTERVAL_SEC: unknown environment variable; did you mean PANTAU_SAMPLE_INTERVAL_SEC? ' +
        '(from environment PANTAU_SMAPLE_INTERVAL_SEC)',
    ]);
    expect(load('', { PANTAU_SQLITE_PATH: '/var/lib/pantau/pantau.sqlite', PANTAU_CONFIG: '' }).ok).toBe(true);
  });

  it('knows every variable both programs read, and no other', () => {
    const read = new Set([...Object.keys(agentEnvMap), ...Object.keys(collectorEnvMap), 'PANTAU_CONFIG']);
    expect([...PANTAU_ENV_NAMES].sort()).toEqual([...read].sort());
  });
});

describe('settings that cannot work together are refused at start', () => {
  it('a probe timeout past the sample interval', () => {
    expect(problems(load('sample:\n  intervalSec: 10\n  probeTimeoutMs: 15000\n'))).toEqual([
      'sample.probeTimeoutMs: must be below the sample interval (sample.intervalSec 10 = 10000 ms), or a slow probe ' +
        'makes each cycle run into the next; got 15000 (from file agent.yaml, line 4)',
    ]);
  });

  it('a short interval without a probe timeout gets one that fits', () => {
    const fits = load('sample:\n  intervalSec: 10\n');
    expect(fits.ok && fits.value.sample.probeTimeoutMs).toBe(7500);
    const usual = load('');
    expect(usual.ok && usual.value.sample.probeTimeoutMs).toBe(15_000);
  });

  it("a power driver's wait past the power read's bound, and the read's bound past the probe's", () => {
    const vedirect = 'probes:\n  power:\n    enabled: true\n    driver: vedirect\n    vedirect: { waitMs: 6000 }\n';
    expect(problems(load(vedirect))).toEqual([
      'probes.power.vedirect.waitMs: must be below probes.power.timeoutMs (5000 ms): the read gives up before ' +
        'this wait can end; got 6000 (from file agent.yaml, line 6)',
    ]);
    expect(problems(load('probes:\n  power:\n    enabled: true\n    driver: epever\n', {}))).toEqual([]);
    expect(problems(load('sample: { intervalSec: 5 }\nprobes:\n  power: { enabled: true, driver: hwmon }\n'))).toEqual([
      'probes.power.timeoutMs: must be below sample.probeTimeoutMs (3750 ms), or the cycle cuts the read short; it ' +
        'has its default value (set it in the file or environment)',
    ]);
  });

  it("a driver's wait is only checked for the driver in use", () => {
    expect(load('probes:\n  power:\n    enabled: true\n    driver: hwmon\n    vedirect: { waitMs: 9000 }\n').ok).toBe(
      true,
    );
  });

  it('a per-call timeout of a probe past the probe timeout', () => {
    const text =
      'sample: { probeTimeoutMs: 1500 }\nprobes:\n  uptime:\n    terminal: { kind: starlink, timeoutMs: 2000 }\n';
    expect(problems(load(text))).toEqual([
      'probes.uptime.terminal.timeoutMs: must be below sample.probeTimeoutMs (1500 ms): the cycle gives up on the ' +
        'probe before this call can; got 2000 (from file agent.yaml, line 5)',
    ]);
  });

  it('a spool segment larger than the spool, a backoff upside down, a password without a user', () => {
    const text =
      'spool: { maxSamples: 100, segmentSamples: 1440 }\nmqtt: { backoffMinMs: 5000, backoffMaxMs: 1000, password: pw }\n';
    expect(problems(load(text)).map((line) => line.split(':')[0])).toEqual([
      'spool.segmentSamples',
      'mqtt.backoffMinMs',
      'mqtt.username',
    ]);
  });
});
