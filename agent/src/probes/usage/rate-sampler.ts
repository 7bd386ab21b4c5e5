import { fail, guard, type Logger, ok, type Result } from '@pantau/shared';
import type { Clock } from '../../clock.js';
import { type CounterBits, counterStep, plausibleBytes } from './counter-delta.js';
import type { CounterErrorCode, CounterReading, CounterSource } from './counter-source.js';

export interface RateSamplerOptions {
  readonly counterBits: CounterBits;
  /** How often the counters are read between samples, for the peak rate and to catch 32-bit wraps. */
  readonly samplePeriodMs: number;
  /** The fastest the link can go; a step beyond it is a reset, not traffic. */
  readonly maxBitsPerSec: number;
}

/** The traffic between two `take()` calls. */
export interface IntervalUsage {
  readonly interface: string;
  readonly intervalMs: number;
  readonly rxBytes: number;
  readonly txBytes: number;
  readonly peakRxBitsPerSec: number;
  readonly peakTxBitsPerSec: number;
  readonly counterReset: boolean;
}

export type TakeOutcome = Result<IntervalUsage, CounterErrorCode | 'no_baseline' | 'aborted'>;

export interface RateSampler {
  /** Reads the counters now and hands over the traffic since the last take; starts the sub-sampling. */
  take(signal: AbortSignal): Promise<TakeOutcome>;
  /** Stops the sub-sampling timer. Safe to call twice. */
  stop(): void;
}

interface Tally {
  startMs: number;
  /** Counter steps folded in; none means there is only a baseline. */
  steps: number;
  rxBytes: number;
  txBytes: number;
  peakRxBitsPerSec: number;
  peakTxBitsPerSec: number;
  counterReset: boolean;
}

/** sysUpTime is 32-bit TimeTicks (1/100 s): it wraps after about 497 days without a reboot. */
const UPTIME_WRAP_MS = 2 ** 32 * 10;

/**
 * Reads a counter source every `samplePeriodMs` and folds each step into the interval's tally: bytes
 * summed step by step (so a 32-bit wrap between two samples a minute apart is still seen), the
 * highest step rate as the peak. It keeps one reading and one tally: constant memory. Reads are
 * serialised, so a timer tick and a sample never fold out of order.
 */
export function createRateSampler(deps: {
  readonly source: CounterSource;
  readonly clock: Clock;
  readonly log: Logger;
  readonly options: RateSamplerOptions;
}): RateSampler {
  const { source, clock, options } = deps;
  const lifetime = new AbortController();
  let last: { reading: CounterReading; atMs: number } | null = null;
  let tally: Tally | null = null;
  let cancelTimer: (() => void) | null = null;
  let stopped = false;
  let queue: Promise<unknown> = Promise.resolve();

  function serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = queue.then(fn);
    queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  async function readAndFold(signal: AbortSignal): Promise<Result<CounterReading, CounterErrorCode>> {
    const reading = await source.read(signal);
    if (reading.ok) fold(reading.value, clock.monotonicMs());
    return reading;
  }

  function fold(reading: CounterReading, atMs: number): void {
    const previous = last;
    last = { reading, atMs };
    if (previous === null || tally === null || previous.reading.interface !== reading.interface) {
      // First reading, or the default route moved to another interface: a new baseline.
      if (tally === null) tally = freshTally(atMs);
      else if (previous !== null) tally.counterReset = true;
      return;
    }
    const elapsedMs = Math.max(1, atMs - previous.atMs);
    const maxBytes = plausibleBytes(options.maxBitsPerSec, elapsedMs);
    const restarted = ownerRestarted(previous.reading, reading, elapsedMs);
    const rx = counterStep(previous.reading.rxBytes, reading.rxBytes, options.counterBits, maxBytes, restarted);
    const tx = counterStep(previous.reading.txBytes, reading.txBytes, options.counterBits, maxBytes, restarted);
    tally.steps += 1;
    tally.rxBytes = Math.min(Number.MAX_SAFE_INTEGER, tally.rxBytes + rx.bytes);
    tally.txBytes = Math.min(Number.MAX_SAFE_INTEGER, tally.txBytes + tx.bytes);
    if (rx.reset || tx.reset) {
      // A step across a reset has no trustworthy duration: it sets no peak.
      tally.counterReset = true;
      return;
    }
    tally.peakRxBitsPerSec = Math.max(tally.peakRxBitsPerSec, bitsPerSec(rx.bytes, elapsedMs));
    tally.peakTxBitsPerSec = Math.max(tally.peakTxBitsPerSec, bitsPerSec(tx.bytes, elapsedMs));
  }

  const tick = guard(deps.log, 'usage_sub_sample', async () => {
    cancelTimer = null;
    if (stopped) return;
    try {
      // A failed read is reported by the next sample; between samples it is only skipped.
      await serial(() => readAndFold(lifetime.signal));
    } finally {
      arm();
    }
  });

  function arm(): void {
    if (stopped || cancelTimer !== null) return;
    cancelTimer = clock.setTimer(options.samplePeriodMs, () => void tick());
  }

  return {
    take(signal) {
      arm();
      return serial(async (): Promise<TakeOutcome> => {
        const reading = await readAndFold(signal);
        if (!reading.ok) return reading;
        // The sampler gave up on this sample (probe_timeout): keep the tally for the next one, so
        // its bytes are reported late rather than lost.
        if (signal.aborted) return fail('aborted', 'the sample was abandoned; the next one has its traffic');
        const done = tally;
        const nowMs = clock.monotonicMs();
        tally = freshTally(nowMs);
        if (done === null || done.steps === 0) {
          return fail('no_baseline', 'first reading of the counters: the next sample has the traffic');
        }
        return ok({
          interface: reading.value.interface,
          intervalMs: Math.round(nowMs - done.startMs),
          rxBytes: done.rxBytes,
          txBytes: done.txBytes,
          peakRxBitsPerSec: Math.round(done.peakRxBitsPerSec),
          peakTxBitsPerSec: Math.round(done.peakTxBitsPerSec),
          counterReset: done.counterReset,
        });
      });
    },
    stop() {
      stopped = true;
      lifetime.abort();
      cancelTimer?.();
      cancelTimer = null;
    },
  };
}

function freshTally(startMs: number): Tally {
  return { startMs, steps: 0, rxBytes: 0, txBytes: 0, peakRxBitsPerSec: 0, peakTxBitsPerSec: 0, counterReset: false };
}

function bitsPerSec(bytes: number, elapsedMs: number): number {
  return (bytes * 8 * 1000) / elapsedMs;
}

/** A new boot id, or an uptime that went back (and not because 32-bit sysUpTime wrapped). */
function ownerRestarted(previous: CounterReading, current: CounterReading, elapsedMs: number): boolean {
  if (previous.epoch !== null && current.epoch !== null && previous.epoch !== current.epoch) return true;
  if (previous.ownerUptimeMs === null || current.ownerUptimeMs === null) return false;
  if (current.ownerUptimeMs >= previous.ownerUptimeMs) return false;
  const wrapped = previous.ownerUptimeMs + elapsedMs * 2 >= UPTIME_WRAP_MS;
  return !wrapped;
}
