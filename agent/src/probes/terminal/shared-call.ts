import type { Clock } from '../../clock.js';

/**
 * One call shared by the probes of a sample: the probes start together, so every caller that asks
 * while a call is in flight, or within `reuseMs` after it ended, gets that call's result. Each
 * caller still stops waiting when its own signal aborts (`onAbort` gives its value); the shared
 * call itself is bounded by its own timeout, not by any one caller.
 */
export function shareCalls<T>(
  run: () => Promise<T>,
  clock: Clock,
  reuseMs: number,
  onAbort: () => T,
): (signal: AbortSignal) => Promise<T> {
  let shared: Promise<T> | null = null;
  let endedAtMs: number | null = null;
  return (signal) => {
    const fresh = endedAtMs === null || clock.monotonicMs() - endedAtMs < reuseMs;
    if (shared === null || !fresh) {
      endedAtMs = null;
      const call = run();
      shared = call;
      const ended = () => {
        if (shared === call) endedAtMs = clock.monotonicMs();
      };
      call.then(ended, ended);
    }
    return untilAborted(shared, signal, onAbort);
  };
}

/** The shared promise for one caller: its value, its rejection (a bug: the probe crashed), or `onAbort`. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal, onAbort: () => T): Promise<T> {
  if (signal.aborted) return Promise.resolve(onAbort());
  return new Promise((resolve, reject) => {
    const abort = () => resolve(onAbort());
    signal.addEventListener('abort', abort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', abort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(error);
      },
    );
  });
}
