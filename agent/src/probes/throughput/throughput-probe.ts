import { guard, type Logger, type ThroughputSection } from '@pantau/shared';
import { httpLinkBytes } from '../../budget/link-costs.js';
import type { CalendarWhen, Scheduler } from '../../schedule/calendar.js';
import type { OccasionalProbe } from '../probe.js';
import type { LegResult, ThroughputTransport } from './http-transport.js';

export interface ThroughputProbeDeps {
  readonly transport: ThroughputTransport;
  readonly scheduler: Scheduler;
  /** When the test runs. */
  readonly when: CalendarWhen;
  /** Shown in the section, to tell test servers apart. */
  readonly endpointHost: string;
  /** The most the test can move in both directions (payload bytes); the budget must hold it. */
  readonly maxTestBytes: number;
  readonly budget: { wouldExceed(bytes: number): boolean; add(bytes: number): void };
  /** The battery now, from the power probe; null when unknown (then the battery never skips a test). */
  readonly batteryVolts: () => number | null;
  readonly minBatteryVolts?: number | undefined;
  readonly log: Logger;
}

/** A probe with a lifecycle: `start()` schedules the test, `stop()` unschedules and aborts it. */
export interface ThroughputProbe extends OccasionalProbe<'throughput'> {
  start(): void;
  stop(): Promise<void>;
  /** Runs the test now (what the schedule calls); resolves when it finished or was skipped. */
  runNow(): Promise<void>;
}

/**
 * The active throughput test runs on its own schedule (rarely: once a night by default); the
 * sampler only collects. `measure()` hands over the last finished or skipped result once, and
 * nothing (so no section) otherwise.
 */
export function createThroughputProbe(deps: ThroughputProbeDeps): ThroughputProbe {
  let pending: ThroughputSection | null = null;
  let controller: AbortController | null = null;
  let running: Promise<void> | null = null;
  let unschedule: (() => void) | null = null;

  const empty = (error: string): ThroughputSection => ({
    endpointHost: deps.endpointHost,
    downBytes: null,
    downMs: null,
    downBitsPerSec: null,
    upBytes: null,
    upMs: null,
    upBitsPerSec: null,
    error,
  });

  function skipReason(): string | null {
    const volts = deps.batteryVolts();
    if (deps.minBatteryVolts !== undefined && volts !== null && volts < deps.minBatteryVolts) {
      return 'skipped_battery_low';
    }
    if (deps.budget.wouldExceed(httpLinkBytes(deps.maxTestBytes))) return 'skipped_budget';
    return null;
  }

  async function test(): Promise<void> {
    const skip = skipReason();
    if (skip !== null) {
      deps.log.info({ event: 'throughput_skipped', code: skip }, 'throughput test skipped');
      pending = empty(skip);
      return;
    }
    controller = new AbortController();
    const signal = controller.signal;
    const down = await deps.transport.download(signal);
    charge(down);
    const up: LegResult = signal.aborted ? down : await deps.transport.upload(signal);
    charge(up);
    controller = null;
    // Stopped mid-test: nothing trustworthy to report.
    if (signal.aborted) return;
    const d = rate(down);
    const u = rate(up);
    const error = !down.ok ? down.code : !up.ok ? up.code : null;
    if (error !== null) deps.log.warn({ event: 'throughput_failed', code: error }, 'throughput test failed');
    pending = {
      endpointHost: deps.endpointHost,
      downBytes: d?.bytes ?? null,
      downMs: d?.ms ?? null,
      downBitsPerSec: d?.bitsPerSec ?? null,
      upBytes: u?.bytes ?? null,
      upMs: u?.ms ?? null,
      upBitsPerSec: u?.bitsPerSec ?? null,
      error,
    };
  }

  function charge(leg: LegResult): void {
    if (leg.ok) deps.budget.add(httpLinkBytes(leg.value.bytes));
  }

  const runNow = (): Promise<void> => {
    running ??= guard(deps.log, 'throughput_test', test)().finally(() => {
      running = null;
    });
    return running;
  };

  return {
    name: 'throughput',
    async measure() {
      const section = pending;
      pending = null;
      return section ?? undefined;
    },
    start() {
      unschedule ??= deps.scheduler.schedule(deps.when, runNow);
    },
    async stop() {
      unschedule?.();
      unschedule = null;
      controller?.abort();
      await running;
    },
    runNow,
  };
}

function rate(leg: LegResult): { bytes: number; ms: number; bitsPerSec: number | null } | null {
  if (!leg.ok) return null;
  const { bytes, ms } = leg.value;
  return { bytes, ms: Math.round(ms), bitsPerSec: ms > 0 ? Math.round((bytes * 8 * 1000) / ms) : null };
}
