import { guard, type Logger } from '@pantau/shared';
import type { Every } from '../collector.js';
import type { HealthRunner } from '../health/health-runner.js';
import type { LeaderLease } from './leader-lease.js';
import type { FeedCursor, StoredEvents } from './stored-events.js';

/** What the gate drives of a health runner. */
export type GatedRunner = Pick<
  HealthRunner,
  'start' | 'stop' | 'onStatus' | 'onBatch' | 'onBroker' | 'idle' | 'evaluatorMetrics'
>;

/** One leadership: a health runner over a store whose writes carry this epoch. */
export interface EvaluatorSession {
  readonly runner: GatedRunner;
  /** Saves how far the evaluator read, through the epoch's fence (refused once another leads). */
  saveCursor(cursor: FeedCursor): Promise<void>;
}

export interface EvaluatorGateOptions {
  /** How often the leader reads what the collectors stored. */
  readonly feedPollMs: number;
  /** Batches per read; a poll reads pages until one comes back short, at most `maxPagesPerPoll`. */
  readonly pageSize: number;
  readonly maxPagesPerPoll: number;
  /**
   * Statuses are read again from this long before the newest one seen: collectors' clocks differ
   * and a status may commit a moment after a newer one; one read twice is recognised and skipped.
   */
  readonly statusSlackMs: number;
}

export interface EvaluatorGateDeps {
  readonly lease: Pick<LeaderLease, 'start' | 'stop' | 'onChange' | 'tick' | 'epoch'>;
  readonly events: StoredEvents;
  /** Builds the runner of one epoch; `fenced` is told when one of its writes was refused. */
  readonly session: (epoch: number, fenced: () => void) => EvaluatorSession;
  readonly every: Every;
  readonly log: Logger;
}

interface Leadership {
  readonly epoch: number;
  readonly session: EvaluatorSession;
  started: boolean;
  fenced: boolean;
  cursor: FeedCursor | null;
  statusSinceMs: number;
  /** Per site, the status last handed to the runner. */
  readonly seen: Map<string, string>;
}

/**
 * Exactly one health evaluator among collectors sharing a PostgreSQL store: only the lease holder
 * runs the health runner, fed from what every collector stored; the others only ingest. The runner
 * starts on gaining the lease and stops on losing it (its writes are fenced by the epoch, so a
 * write of a stopped or paused leader cannot land after a newer leader began).
 */
export function createEvaluatorGate(options: EvaluatorGateOptions, deps: EvaluatorGateDeps) {
  const { log } = deps;
  let leading: Leadership | null = null;
  /** An epoch whose writes were refused: not led again, whatever the lease still believes. */
  let refusedEpoch: number | null = null;
  let queue: Promise<void> = Promise.resolve();
  let polling = false;
  let stopPolls: (() => void) | null = null;
  let stopping: Promise<void> | null = null;
  let fencedCount = 0;
  /** The collector's own broker connection, as last told (a runner started later is told too). */
  let brokerUp = true;
  let takeovers = 0;

  /** Leadership changes and polls run one at a time, in order. */
  function serial(event: string, fn: () => Promise<void>): Promise<void> {
    const next = queue.then(guard(log, event, fn));
    queue = next;
    return next;
  }

  async function follow(): Promise<void> {
    const was = leading;
    leading = null;
    if (was === null) return;
    // The runner finishes what runs and sends nothing more; what it could not commit is read
    // again from the store by the next leader, from the last saved cursor.
    await was.session.runner.stop();
    log.info(
      { event: 'evaluator_stopped', epoch: was.epoch, fencedWrites: fencedCount },
      'health evaluation stopped here',
    );
  }

  function onFenced(state: Leadership): void {
    fencedCount++;
    if (state.fenced) return;
    state.fenced = true;
    refusedEpoch = state.epoch;
    log.warn({ event: 'evaluator_fenced', epoch: state.epoch }, 'another collector leads now: stepping down');
    void serial('evaluator_step_down', async () => {
      if (leading === state) await follow();
    });
    // The lease finds its session gone and follows; it may lead again later under a new epoch.
    void deps.lease.tick();
  }

  async function lead(epoch: number): Promise<void> {
    await follow();
    if (stopping !== null || epoch === refusedEpoch) return;
    const state: Leadership = {
      epoch,
      session: deps.session(epoch, () => onFenced(state)),
      started: false,
      fenced: false,
      cursor: null,
      statusSinceMs: 0,
      seen: new Map(),
    };
    leading = state;
    takeovers++;
    state.cursor = await deps.events.startCursor();
    await state.session.runner.start();
    state.started = true;
    if (!brokerUp) void state.session.runner.onBroker(false);
    log.info({ event: 'evaluator_started', epoch }, 'this collector evaluates health and sends alerts');
  }

  async function feedBatches(state: Leadership, cursor: FeedCursor): Promise<void> {
    let at = cursor;
    for (let page = 0; page < options.maxPagesPerPoll && !state.fenced; page++) {
      const { items, next } = await deps.events.batches(at, options.pageSize);
      for (const item of items) await state.session.runner.onBatch(item.batch, item.receivedMs);
      await state.session.runner.idle();
      if (state.fenced) return;
      if (next !== at) {
        await state.session.saveCursor(next);
        at = next;
        state.cursor = next;
      }
      if (items.length < options.pageSize) return;
    }
  }

  async function feedStatuses(state: Leadership): Promise<void> {
    for (const { status, receivedMs } of await deps.events.statuses(state.statusSinceMs)) {
      const key = `${status.epoch}/${status.state}/${status.reason}/${receivedMs}`;
      if (state.seen.get(status.siteId) === key) continue;
      state.seen.set(status.siteId, key);
      await state.session.runner.onStatus(status, receivedMs);
      state.statusSinceMs = Math.max(state.statusSinceMs, receivedMs - options.statusSlackMs);
    }
    await state.session.runner.idle();
  }

  async function poll(): Promise<void> {
    const state = leading;
    if (state === null || !state.started) {
      // Leading without a runner: its start failed (the database was away); try again.
      const epoch = deps.lease.epoch();
      if (epoch !== null && epoch !== refusedEpoch && stopping === null) await lead(epoch);
      return;
    }
    if (state.fenced || state.cursor === null) return;
    await feedBatches(state, state.cursor);
    if (!state.fenced) await feedStatuses(state);
  }

  return {
    start(): Promise<void> {
      deps.lease.onChange((epoch) => {
        void serial(epoch === null ? 'evaluator_follow' : 'evaluator_lead', () =>
          epoch === null ? follow() : lead(epoch),
        );
      });
      deps.lease.start();
      stopPolls = deps.every(options.feedPollMs, () => {
        if (polling || stopping !== null) return;
        polling = true;
        void serial('evaluator_poll', poll).finally(() => {
          polling = false;
        });
      });
      return Promise.resolve();
    },
    /**
     * Stops polling and the runner, then gives the lease up (another collector takes over). In that
     * order: a send in progress is marked delivered under this epoch, not sent again by the next
     * leader. Safe twice.
     */
    stop(): Promise<void> {
      stopping ??= (async () => {
        stopPolls?.();
        await serial('evaluator_follow', follow);
        await deps.lease.stop();
      })();
      return stopping;
    },
    // Ingest's own messages are not fed: the leader reads every collector's from the store.
    onBatch: (): undefined => undefined,
    onStatus: (): undefined => undefined,
    onBroker(up: boolean): undefined {
      brokerUp = up;
      if (leading?.started === true) void leading.session.runner.onBroker(up);
      return undefined;
    },
    /** The running evaluator's figures; null while this collector follows. */
    evaluatorMetrics: () => (leading?.started === true ? leading.session.runner.evaluatorMetrics() : null),
    /** The epoch this collector evaluates under, or null. */
    epoch: () => (leading?.started === true ? leading.epoch : null),
    counters: () => ({
      evaluatorEpoch: leading?.epoch ?? null,
      evaluatorTakeovers: takeovers,
      fencedWrites: fencedCount,
    }),
  };
}
export type EvaluatorGate = ReturnType<typeof createEvaluatorGate>;
