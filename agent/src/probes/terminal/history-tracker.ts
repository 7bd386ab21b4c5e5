import { ok, type Result } from '@pantau/shared';
import type { Clock } from '../../clock.js';
import { type HistoryCursor, type HistoryWindow, historyWindow } from './history-window.js';
import { shareCalls } from './shared-call.js';
import type { StarlinkDish, TerminalErrorCode } from './starlink-dish.js';

/**
 * The seconds of the dish's history since the previous sample, worked out once a sample (the
 * terminal and usage probes both read it) from the dish's status and history together. The cursor
 * moves only when both answered; a failed cycle leaves it, so the next sample covers both.
 */
export interface HistoryTracker {
  window(signal: AbortSignal): Promise<Result<HistoryWindow, TerminalErrorCode>>;
}

export function createHistoryTracker(deps: {
  readonly dish: StarlinkDish;
  readonly clock: Clock;
  readonly clockSynced: () => Promise<boolean>;
  /** Where the newest stored sample stopped; null on a fresh install. */
  readonly seed: HistoryCursor | null;
  readonly reuseMs: number;
}): HistoryTracker {
  let cursor = deps.seed;
  const window = shareCalls<Result<HistoryWindow, TerminalErrorCode>>(
    async () => {
      const never = new AbortController().signal;
      const [status, history, clockSynced] = await Promise.all([
        deps.dish.status(never),
        deps.dish.history(never),
        deps.clockSynced(),
      ]);
      if (!status.ok) return status;
      if (!history.ok) return history;
      const result = historyWindow(cursor, {
        status: status.value,
        history: history.value,
        monotonicMs: deps.clock.monotonicMs(),
        wallMs: deps.clock.nowMs(),
        clockSynced,
      });
      cursor = result.next;
      return ok(result);
    },
    deps.clock,
    deps.reuseMs,
    () => ({ ok: false, code: 'terminal_timeout', message: 'the call was cut short (the probe ran out of time)' }),
  );
  return { window };
}
