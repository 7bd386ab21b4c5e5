import type { LegResult } from '@pantau/agent';
import { fail, ok } from '@pantau/shared';
import { describe, expect, it } from 'vitest';
import { nightWindowMinute } from '../../../../agent/src/probes/throughput/night-window.js';
import { createThroughputProbe } from '../../../../agent/src/probes/throughput/throughput-probe.js';
import { captureLogger, ManualScheduler } from '../../../helpers/fakes.js';
import { FakeTransport } from '../../../helpers/net-fakes.js';

const signal = new AbortController().signal;
const downOk: LegResult = ok({ bytes: 2_500_000, ms: 1000 });
const upOk: LegResult = ok({ bytes: 1_000_000, ms: 800 });

function setup(
  options: { transport?: FakeTransport; wouldExceed?: boolean; volts?: number | null; minBatteryVolts?: number } = {},
) {
  const transport = options.transport ?? new FakeTransport(downOk, upOk);
  const added: number[] = [];
  const scheduler = new ManualScheduler();
  const { log, lines } = captureLogger('info');
  const probe = createThroughputProbe({
    transport,
    scheduler,
    when: { kind: 'daily', minuteOfDay: 3 * 60 + 17 },
    endpointHost: 'noc.example',
    maxTestBytes: 20_000_000,
    budget: { wouldExceed: () => options.wouldExceed ?? false, add: (b) => added.push(b) },
    batteryVolts: () => (options.volts === undefined ? 12.8 : options.volts),
    minBatteryVolts: options.minBatteryVolts,
    log,
  });
  return { probe, transport, added, scheduler, lines };
}

describe('throughput probe', () => {
  it('has no section until a test has run, then reports it in the next sample only', async () => {
    const { probe, added } = setup();
    expect(await probe.measure(signal)).toBeUndefined();
    await probe.runNow();
    expect(await probe.measure(signal)).toEqual({
      endpointHost: 'noc.example',
      downBytes: 2_500_000,
      downMs: 1000,
      downBitsPerSec: 20_000_000,
      upBytes: 1_000_000,
      upMs: 800,
      upBitsPerSec: 10_000_000,
      error: null,
    });
    expect(await probe.measure(signal)).toBeUndefined();
    // Payload grossed up by 6 % for TCP/IP headers.
    expect(added).toEqual([2_650_000, 1_060_000]);
  });

  it('runs on its cron schedule from start() until stop()', async () => {
    const { probe, transport, scheduler } = setup();
    probe.start();
    expect(scheduler.jobs.map((j) => j.when)).toEqual([{ kind: 'daily', minuteOfDay: 3 * 60 + 17 }]);
    await scheduler.fire();
    expect(transport.downloads).toBe(1);
    await probe.stop();
    expect(scheduler.jobs).toEqual([]);
  });

  it('skips with skipped_budget when the test would exceed the monthly budget, spending nothing', async () => {
    const { probe, transport, added, lines } = setup({ wouldExceed: true });
    await probe.runNow();
    expect(await probe.measure(signal)).toMatchObject({ downBytes: null, upBytes: null, error: 'skipped_budget' });
    expect(transport.downloads + transport.uploads).toBe(0);
    expect(added).toEqual([]);
    expect(lines).toContainEqual(expect.objectContaining({ event: 'throughput_skipped', code: 'skipped_budget' }));
  });

  it('skips with skipped_battery_low below the configured volts, and runs when the battery is unknown', async () => {
    const low = setup({ volts: 11.9, minBatteryVolts: 12.2 });
    await low.probe.runNow();
    expect(await low.probe.measure(signal)).toMatchObject({ error: 'skipped_battery_low', downBitsPerSec: null });
    expect(low.transport.downloads).toBe(0);

    const unknown = setup({ volts: null, minBatteryVolts: 12.2 });
    await unknown.probe.runNow();
    expect(await unknown.probe.measure(signal)).toMatchObject({ error: null });
  });

  it('reports a failed leg as null values with its code, keeping the other leg', async () => {
    const { probe, added } = setup({
      transport: new FakeTransport(fail('http_error', 'GET /down answered 500'), upOk),
    });
    await probe.runNow();
    expect(await probe.measure(signal)).toMatchObject({
      downBytes: null,
      downBitsPerSec: null,
      upBytes: 1_000_000,
      error: 'http_error',
    });
    expect(added).toEqual([1_060_000]);
    const stalled = setup({ transport: new FakeTransport(downOk, fail('http_timeout', 'no progress')) });
    await stalled.probe.runNow();
    expect(await stalled.probe.measure(signal)).toMatchObject({
      downBytes: 2_500_000,
      upMs: null,
      error: 'http_timeout',
    });
  });

  it('runs one test at a time, and stop() aborts a test under way without reporting it', async () => {
    const transport = new FakeTransport(
      (s) =>
        new Promise<LegResult>((resolve) =>
          s.addEventListener('abort', () => resolve(fail('http_aborted', 'aborted')), { once: true }),
        ),
      upOk,
    );
    const { probe } = setup({ transport });
    const first = probe.runNow();
    const second = probe.runNow();
    expect(second).toBe(first);
    await probe.stop();
    await first;
    expect(transport.downloads).toBe(1);
    expect(transport.uploads).toBe(0);
    expect(await probe.measure(signal)).toBeUndefined();
  });
});

describe('night window', () => {
  it('draws one minute inside the window, once a day', () => {
    const window = { fromHour: 1, toHour: 5 };
    expect(nightWindowMinute(window, () => 0)).toBe(60);
    expect(nightWindowMinute(window, () => 0.5)).toBe(3 * 60);
    expect(nightWindowMinute(window, () => 0.999_999)).toBe(4 * 60 + 59);
  });

  it('wraps past midnight', () => {
    const window = { fromHour: 23, toHour: 2 };
    expect(nightWindowMinute(window, () => 0)).toBe(23 * 60);
    expect(nightWindowMinute(window, () => 0.5)).toBe(30);
    expect(nightWindowMinute(window, () => 0.999)).toBe(60 + 59);
  });
});
