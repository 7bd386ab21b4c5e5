import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentProcess, startAgentProcess } from '../../helpers/agent-process.js';
import { freePort } from '../../helpers/ports.js';
import { readSpool } from '../../helpers/site.js';
import { type PtyPair, startPtyPair } from '../../helpers/socat.js';
import { tempDirs } from '../../helpers/temp-dirs.js';

const INTERVAL_MS = 2000;
const temp = tempDirs();
let ptys: PtyPair | null = null;
let agent: AgentProcess | null = null;
let dataDir = '';

/**
 * The built agent reading a VE.Direct charger that has gone silent: each power reading waits the
 * driver's whole wait, as long as the sample interval, so every cycle runs past the next slot.
 */
describe('cycles that overrun their slot (a silent VE.Direct port)', () => {
  beforeAll(async () => {
    ptys = await startPtyPair();
    const dir = temp.make('overrun');
    dataDir = join(dir, 'data');
    const config = join(dir, 'agent.json');
    writeFileSync(
      config,
      JSON.stringify({
        siteId: 'overrun-01',
        dataDir,
        mqtt: { url: `mqtt://127.0.0.1:${await freePort()}` },
        sample: { intervalSec: INTERVAL_MS / 1000, probeTimeoutMs: INTERVAL_MS },
        probes: {
          latency: { targets: [] },
          power: {
            enabled: true,
            driver: 'vedirect',
            timeoutMs: INTERVAL_MS,
            vedirect: { path: ptys.b, waitMs: INTERVAL_MS },
          },
        },
        log: { level: 'debug' },
      }),
    );
    agent = startAgentProcess({ PANTAU_CONFIG: config });
    const running = agent;
    await running.waitForEvent('sample', () => running.lines.filter((l) => l.event === 'sample').length >= 6, 60_000);
    running.child.kill('SIGTERM');
    await running.exited;
  }, 90_000);
  afterAll(async () => {
    await agent?.kill();
    await ptys?.stop();
    temp.removeAll();
  });

  it('counts the skipped slots in the next sample, and logs them as JSON', () => {
    const samples = readSpool(dataDir).samples;
    expect(samples.length).toBeGreaterThanOrEqual(6);
    // The silent port costs the whole wait, which ends as the probe's own timeout or the driver's.
    for (const s of samples) expect(['vedirect_silent', 'probe_timeout']).toContain(s.probes?.power?.error);
    // Every slot is accounted for: a sample, or a count in the next sample.
    const skipped = samples.reduce((sum, s) => sum + (s.skippedCycles ?? 0), 0);
    expect(skipped).toBeGreaterThanOrEqual(samples.length - 2);
    const first = samples[0];
    const last = samples.at(-1);
    const slots = ((last?.uptimeMs ?? 0) - (first?.uptimeMs ?? 0)) / INTERVAL_MS;
    expect(Math.abs(samples.length - 1 + skipped - (first?.skippedCycles ?? 0) - slots)).toBeLessThanOrEqual(2);
    const late = agent?.lines.filter((l) => l.event === 'cycle_late') ?? [];
    expect(late.length).toBeGreaterThan(0);
    expect(late.every((l) => typeof l.skippedCycles === 'number')).toBe(true);
  });

  it("writes nothing but its JSON log: node-cron's warnings do not get through", () => {
    const output = agent?.output.filter((line) => line.trim() !== '') ?? [];
    expect(output.filter((line) => !line.startsWith('{'))).toEqual([]);
  });

  it('names the module of each log line once (the power probe logs its failures)', () => {
    const output = agent?.output.filter((line) => line.startsWith('{')) ?? [];
    // A JSON object with a key twice is ambiguous to every reader: each line names its module once.
    expect(output.filter((line) => (line.match(/"module":/g) ?? []).length > 1)).toEqual([]);
    expect(agent?.lines.some((l) => l.module === 'power')).toBe(true);
  });
});
