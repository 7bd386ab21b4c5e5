import type { DishHistory } from './dish-history.js';
import type { DishStatus } from './dish-status.js';

/**
 * Where the previous sample stopped reading the dish's history. It travels in the sample itself
 * (the terminal section's historyCounter, dishBootCount, lastOutageStartMs), so after a restart the
 * agent resumes from the newest sample on disk: a second is counted in at most one stored sample.
 */
export interface HistoryCursor {
  readonly counter: number;
  readonly bootCount: number | null;
  readonly lastOutageStartMs: number | null;
  /** The agent's monotonic clock when taken; null for a cursor read back from a previous run. */
  readonly monotonicMs: number | null;
  readonly wallMs: number;
  readonly clockSynced: boolean;
}

/** One reading of the dish: its history and status, and when the agent made it. */
export interface HistoryReading {
  readonly history: DishHistory;
  readonly status: DishStatus;
  readonly monotonicMs: number;
  readonly wallMs: number;
  readonly clockSynced: boolean;
}

/** What the seconds since the previous cursor held. */
export interface HistoryWindow {
  /** No previous cursor: nothing is counted, the cursor is set. */
  readonly baseline: boolean;
  /** The dish rebooted since the previous cursor: the seconds before its reboot are gone. */
  readonly rebooted: boolean;
  readonly seconds: number;
  /** Seconds since the previous cursor that the ring buffer no longer held. */
  readonly lostSeconds: number;
  readonly downBytes: number | null;
  readonly upBytes: number | null;
  readonly peakDownBitsPerSec: number | null;
  readonly peakUpBitsPerSec: number | null;
  /** Share of the counted seconds with any ping dropped, 0-100; null when none was counted. */
  readonly pingDropSharePct: number | null;
  readonly outageSecondsByCause: Readonly<Record<string, number>>;
  readonly next: HistoryCursor;
}

/** A dish's uptime and the agent's clocks disagree by seconds; a reboot shows as minutes. */
const REBOOT_SLACK_MS = 60_000;
const MAX_CAUSES = 32;

/**
 * The dish rebooted since the cursor: its boot count changed; or, where it gives none, its history
 * counter went back, or it has been up for less time than has passed (measured on the monotonic
 * clock, or on wall clocks only when both were synchronised).
 */
export function dishRebooted(prev: HistoryCursor, now: HistoryReading): boolean {
  if (prev.bootCount !== null && now.status.bootCount !== null) return prev.bootCount !== now.status.bootCount;
  if (now.history.counter < prev.counter) return true;
  const uptimeMs = now.status.uptimeMs;
  if (uptimeMs === null) return false;
  const elapsedMs =
    prev.monotonicMs !== null
      ? now.monotonicMs - prev.monotonicMs
      : prev.clockSynced && now.clockSynced
        ? now.wallMs - prev.wallMs
        : null;
  return elapsedMs !== null && uptimeMs + REBOOT_SLACK_MS < elapsedMs;
}

export function historyWindow(prev: HistoryCursor | null, now: HistoryReading): HistoryWindow {
  const { history } = now;
  const rebooted = prev !== null && dishRebooted(prev, now);
  // After a reboot every second since it is new; before the buffer filled, only `counter` exist.
  const wanted = prev === null ? 0 : rebooted ? history.counter : history.counter - prev.counter;
  const seconds = Math.min(wanted, history.length, history.counter);
  const ended = endedOutages(now);
  const counted = prev === null ? [] : ended.filter((o) => o.startMs > (prev.lastOutageStartMs ?? -1));
  const lastOutageStartMs = ended.reduce<number | null>(
    (latest, o) => Math.max(latest ?? o.startMs, o.startMs),
    prev?.lastOutageStartMs ?? null,
  );
  return {
    baseline: prev === null,
    rebooted,
    seconds,
    lostSeconds: wanted - seconds,
    ...sums(history, history.counter - seconds, history.counter),
    outageSecondsByCause: byCause(counted),
    next: {
      counter: history.counter,
      bootCount: now.status.bootCount,
      lastOutageStartMs,
      monotonicMs: now.monotonicMs,
      wallMs: now.wallMs,
      clockSynced: now.clockSynced,
    },
  };
}

/**
 * Outages the dish has finished: those it lists, less the one it is in now. An outage without a
 * start time cannot be told from one already counted, so it is left out.
 */
function endedOutages(now: HistoryReading): { cause: string; startMs: number; durationMs: number }[] {
  const current = now.status.outage?.startMs ?? null;
  return now.history.outages.flatMap((o) =>
    o.startMs === null || o.startMs === current
      ? []
      : [{ cause: o.cause, startMs: o.startMs, durationMs: o.durationMs }],
  );
}

function byCause(outages: readonly { cause: string; durationMs: number }[]): Record<string, number> {
  const seconds: Record<string, number> = {};
  for (const o of outages) {
    if (!(o.cause in seconds) && Object.keys(seconds).length >= MAX_CAUSES) continue;
    seconds[o.cause] = Math.round(((seconds[o.cause] ?? 0) + o.durationMs / 1000) * 1000) / 1000;
  }
  return seconds;
}

/** Totals over seconds [from, to) of the ring buffers; each value covers one second. */
function sums(history: DishHistory, from: number, to: number) {
  let down = 0;
  let up = 0;
  let peakDown = 0;
  let peakUp = 0;
  let dropSeconds = 0;
  for (let k = from; k < to; k++) {
    const i = k % history.length;
    const d = rate(history.downlinkBps?.[i]);
    const u = rate(history.uplinkBps?.[i]);
    down += d;
    up += u;
    peakDown = Math.max(peakDown, d);
    peakUp = Math.max(peakUp, u);
    if ((history.popPingDropRate[i] ?? 0) > 0) dropSeconds++;
  }
  const seconds = to - from;
  return {
    downBytes: history.downlinkBps === null ? null : Math.round(down / 8),
    upBytes: history.uplinkBps === null ? null : Math.round(up / 8),
    peakDownBitsPerSec: history.downlinkBps === null || seconds === 0 ? null : Math.round(peakDown),
    peakUpBitsPerSec: history.uplinkBps === null || seconds === 0 ? null : Math.round(peakUp),
    pingDropSharePct: seconds === 0 ? null : Math.round((dropSeconds / seconds) * 100_000) / 1000,
  };
}

/** A bits-per-second figure; NaN or a negative value counts as nothing. */
function rate(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : 0;
}
