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

const STALL_MS = 5 * INTERVAL_MS;

/**
 * The built agent reading a VE.Direct charger that has gone silent. The config refuses probe waits
 * as long as the interval (config-mistakes tests that), so a silent port alone cannot make a cycle
 * overrun; a stalled Pi can: the process is stopped for five slots, as an overloaded or swapping
 * Pi stalls, and continued.
 */
describe('cycles that overrun their slot (a stalled Pi beside a silent VE.Direct port)', () => {
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
        sample: { intervalSec: INTERVAL_MS / 1000, probeTimeoutMs: 1500 },
        probes: {
          latency: { targets: [] },
          power: {
            enabled: true,
            driver: 'vedirect',
            timeoutMs: 1200,
            vedirect: { path: ptys.b, waitMs: 1000 },
          },
        },
        log: { level: 'debug' },
      }),
    );
    agent = startAgentProcess({ PANTAU_CONFIG: config });
    const running = agent;
    const samplesLogged = (n: number) => () => running.lines.filter((l) => l.event === 'sample').length >= n;
    await running.waitForEvent('sample', samplesLogged(3), 60_000);
    running.child.kill('SIGSTOP');
    await new Promise((resolve) => setTimeout(resolve, STALL_MS));
    running.child.kill('SIGCONT');
    const before = running.lines.filter((l) => l.event === 'sample').length;
    await running.waitForEvent('sample', samplesLogged(before + 3), 60_000);
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
    // The stall spans five slots; at least three of them fall between two samples, however the
    // stop and the continue land on the slots.
    expect(skipped).toBeGreaterThanOrEqual(3);
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
