import { join } from 'node:path';
import type { SampleInput } from '@pantau/shared';
import { afterAll, describe, expect, it } from 'vitest';
import { type AgentProcess, startAgentProcess, steppableClock } from '../../helpers/agent-process.js';
import { freePort } from '../../helpers/ports.js';
import { readSpool } from '../../helpers/site.js';
import { tempDirs } from '../../helpers/temp-dirs.js';

const INTERVAL_MS = 2000;
const TWO_DAYS_SEC = 2 * 86_400;
const temp = tempDirs();
let agent: AgentProcess | null = null;
afterAll(async () => {
  await agent?.kill();
  temp.removeAll();
});

/** How far the sample's wall clock is from its uptime: it moves only when the clock is stepped. */
const offsetMs = (s: SampleInput) => s.wallMs - s.uptimeMs;

/**
 * The built agent under libfaketime: its wall clock is stepped while it runs, as NTP steps a Pi's
 * clock after a boot without a clock battery; its monotonic clock is left alone, as NTP leaves it.
 */
describe('a running agent whose wall clock is stepped', () => {
  it('samples on through a step of two days forward and two minutes back, each logged once', {
    timeout: 90_000,
  }, async () => {
    const dir = temp.make('clock-step');
    const clock = steppableClock(join(dir, 'faketime'));
    const dataDir = join(dir, 'data');
    // The nightly speed test is configured, so the calendar is armed too; no broker answers.
    agent = startAgentProcess({
      ...clock.env,
      PANTAU_SITE_ID: 'clock-step-01',
      PANTAU_DATA_DIR: dataDir,
      PANTAU_MQTT_URL: `mqtt://127.0.0.1:${await freePort()}`,
      PANTAU_SAMPLE_INTERVAL_SEC: String(INTERVAL_MS / 1000),
      PANTAU_LATENCY_TARGETS: '[]',
      PANTAU_THROUGHPUT_ENABLED: 'true',
      PANTAU_THROUGHPUT_ENDPOINT: 'http://127.0.0.1:9/speedtest',
      PANTAU_LOG_LEVEL: 'debug',
    });
    const running = agent;
    const samples = () => running.lines.filter((l) => l.event === 'sample').length;
    const samplesAfter = async (count: number) => {
      const target = samples() + count;
      await running.waitForEvent('sample', () => samples() >= target);
    };
    await samplesAfter(3);
    clock.setOffsetSec(TWO_DAYS_SEC);
    await running.waitForEvent('clock_step');
    await samplesAfter(3);
    clock.setOffsetSec(TWO_DAYS_SEC - 120);
    await running.waitForEvent('clock_step', (l) => (l.stepMs as number) < 0);
    await samplesAfter(3);
    running.child.kill('SIGTERM');
    expect((await running.exited).code).toBe(0);

    // Logged once per step, with its size.
    const steps = running.lines.filter((l) => l.event === 'clock_step').map((l) => l.stepMs as number);
    expect(steps).toHaveLength(2);
    expect(Math.abs((steps[0] ?? 0) - TWO_DAYS_SEC * 1000)).toBeLessThan(2000);
    expect(Math.abs((steps[1] ?? 0) + 120_000)).toBeLessThan(2000);
    // Nothing but the agent's JSON log: node-cron does not replay or warn about the missed slots.
    expect(running.output.filter((line) => line.trim() !== '' && !line.startsWith('{'))).toEqual([]);

    const held = readSpool(dataDir).samples;
    expect(held.length).toBeGreaterThanOrEqual(9);
    // Sampling never stopped: by the uptime, no two samples are more than one lost cycle apart
    // (plus what a loaded machine adds).
    const gaps = held.slice(1).map((s, i) => s.uptimeMs - (held[i]?.uptimeMs ?? 0));
    expect(Math.max(...gaps)).toBeLessThanOrEqual(2 * INTERVAL_MS + 2000);
    // The steps are in the samples' time fields: wall time moved against uptime by each step.
    const jumps = held
      .slice(1)
      .map((s, i) => offsetMs(s) - offsetMs(held[i] as SampleInput))
      .filter((jump) => Math.abs(jump) > 1000);
    expect(jumps).toHaveLength(2);
    expect(Math.abs((jumps[0] ?? 0) - TWO_DAYS_SEC * 1000)).toBeLessThan(2000);
    expect(Math.abs((jumps[1] ?? 0) + 120_000)).toBeLessThan(2000);
  });
});
