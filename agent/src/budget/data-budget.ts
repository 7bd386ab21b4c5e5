import type { Clock } from '../clock.js';
import type { BudgetStore } from './budget-file.js';

/** The two `usage` section fields the budget fills. */
export interface BudgetUsage {
  readonly budgetUsedBytes: number;
  /** Null when the budget is unlimited (`budget.monthlyBytes: 0`). */
  readonly budgetCapBytes: number | null;
}

/** The site's monthly data budget: probes beyond the LAN, the speed test and the MQTT connection feed it. */
export interface DataBudget {
  /** Counts bytes on the link into the current month. Negative or fractional input is rounded up to ≥ 0. */
  add(bytes: number): void;
  /** Month to date and the cap, for the `usage` section. */
  usage(): BudgetUsage;
  /** Whether spending `bytes` more would go over the cap (never, when unlimited). */
  wouldExceed(bytes: number): boolean;
  /** Starts a new month when the synchronised wall clock says one began; call once per cycle. */
  checkMonth(): Promise<void>;
  /** Writes the state now (at stop). */
  flush(): void;
}

export interface DataBudgetDeps {
  /** 0 = unlimited. */
  readonly monthlyBytes: number;
  readonly store: BudgetStore;
  readonly clock: Clock;
  /** Whether NTP has synced; an unsynced clock (a Pi after a power cut says 1970) never starts a month. */
  readonly clockSynced: () => Promise<boolean>;
  /** The month a wall time falls in, `YYYY-MM`; local time by default. */
  readonly monthOf?: (wallMs: number) => string;
  /** Writes at most this often while counting; a crash loses at most this much counting. */
  readonly persistEveryMs?: number;
}

export function localMonthOf(wallMs: number): string {
  const date = new Date(wallMs);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}`;
}

export function utcMonthOf(wallMs: number): string {
  return new Date(wallMs).toISOString().slice(0, 7);
}

/**
 * Month boundaries follow the wall clock only while it is synchronised; otherwise bytes keep
 * counting in the month last known. Bytes counted before the clock was ever synced (a fresh
 * install) are kept and adopted by the first synced month.
 */
export function createDataBudget(deps: DataBudgetDeps): DataBudget {
  const monthOf = deps.monthOf ?? localMonthOf;
  const persistEveryMs = deps.persistEveryMs ?? 60_000;
  const saved = deps.store.read();
  let month = saved?.month ?? null;
  let usedBytes = saved?.usedBytes ?? 0;
  let lastWriteMs = deps.clock.monotonicMs();
  let dirty = false;

  function persist(): void {
    // A state the disk refused stays dirty: the next add or flush tries again.
    dirty = !deps.store.write({ month, usedBytes });
    lastWriteMs = deps.clock.monotonicMs();
  }

  return {
    add(bytes) {
      if (!Number.isFinite(bytes) || bytes <= 0) return;
      usedBytes = Math.min(Number.MAX_SAFE_INTEGER, usedBytes + Math.ceil(bytes));
      dirty = true;
      if (deps.clock.monotonicMs() - lastWriteMs >= persistEveryMs) persist();
    },
    usage() {
      return { budgetUsedBytes: usedBytes, budgetCapBytes: deps.monthlyBytes === 0 ? null : deps.monthlyBytes };
    },
    wouldExceed(bytes) {
      return deps.monthlyBytes > 0 && usedBytes + bytes > deps.monthlyBytes;
    },
    async checkMonth() {
      if (!(await deps.clockSynced())) return;
      const now = monthOf(deps.clock.nowMs());
      if (month === now) return;
      if (month !== null) usedBytes = 0;
      month = now;
      persist();
    },
    flush() {
      if (dirty) persist();
    },
  };
}
