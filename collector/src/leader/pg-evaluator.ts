import type { Logger } from '@pantau/shared';
import type { Every } from '../collector.js';
import { fencedEvaluatorStore } from '../store/postgres/evaluator-store.js';
import { newPool } from '../store/postgres/pool.js';
import { postgresStoredEvents } from '../store/postgres/stored-events.js';
import type { HealthStores } from '../store/store.js';
import { createEvaluatorGate, type GatedRunner } from './evaluator-gate.js';
import { createLeaderLease } from './leader-lease.js';
import { openPgLockSession } from './pg-lock-session.js';

export interface PgEvaluatorOptions {
  readonly connectionString: string;
  /** Who holds the lease, as the lease table shows it. */
  readonly holder: string;
  readonly ttlMs: number;
  readonly renewMs: number;
  readonly feedPollMs: number;
}

export interface PgEvaluatorDeps {
  /** The collector's store: the evaluator reads through it, and writes through its own fenced connections. */
  readonly store: HealthStores;
  /** Builds a health runner over the store it is given. */
  readonly runner: (store: HealthStores) => GatedRunner;
  readonly every: Every;
  readonly nowMs: () => number;
  readonly monotonicMs: () => number;
  readonly log: Logger;
}

/** Batches per read of the feed, and reads per poll (a backlog is caught up over a few polls). */
const PAGE_SIZE = 500;
const MAX_PAGES_PER_POLL = 20;
/** Statuses are read again from this long before the newest seen (collectors' clocks differ a little). */
const STATUS_SLACK_MS = 60_000;

/**
 * One health evaluator among the collectors sharing a PostgreSQL store (docs/scaling.md, "One
 * health evaluator"): the lease, the feed of what every collector stored, and the fenced store.
 */
export function createPgEvaluator(options: PgEvaluatorOptions, deps: PgEvaluatorDeps) {
  const { log } = deps;
  // Its own small pool: a fenced write holds its connection while it waits for the lease row.
  const pool = newPool(options.connectionString, 4);
  const lease = createLeaderLease(
    { pollMs: options.renewMs, leaseMs: options.ttlMs },
    {
      open: () =>
        openPgLockSession({
          connectionString: options.connectionString,
          holder: options.holder,
          leaseMs: options.ttlMs,
          nowMs: deps.nowMs,
        }),
      every: deps.every,
      monotonicMs: deps.monotonicMs,
      log,
    },
  );
  const gate = createEvaluatorGate(
    {
      feedPollMs: options.feedPollMs,
      pageSize: PAGE_SIZE,
      maxPagesPerPoll: MAX_PAGES_PER_POLL,
      statusSlackMs: STATUS_SLACK_MS,
    },
    {
      lease,
      events: postgresStoredEvents(pool, log),
      session(epoch, fenced) {
        const store = fencedEvaluatorStore(deps.store, pool, { epoch, leaseMs: options.ttlMs, onFenced: fenced, log });
        return { runner: deps.runner(store), saveCursor: store.saveCursor };
      },
      every: deps.every,
      log,
    },
  );
  return {
    ...gate,
    async stop(): Promise<void> {
      await gate.stop();
      await pool.end().catch(() => {});
    },
  };
}
