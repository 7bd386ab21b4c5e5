import type { Logger } from '@pantau/shared';
import type pg from 'pg';
import { fencedTransaction } from '../../leader/fenced-transaction.js';
import type { FeedCursor } from '../../leader/stored-events.js';
import type { HealthStores } from '../store.js';
import { postgresControls, postgresOutbox } from './alert-outbox.js';
import { postgresHealthRetention } from './health-retention.js';
import { writeHealthCommit } from './health-state.js';
import { saveFeedCursor } from './stored-events.js';

/** A write of an evaluator whose epoch is no longer the lease's: refused, nothing written. */
export class FencedWriteError extends Error {
  readonly code = 'fenced';
  constructor(
    readonly write: string,
    readonly epoch: number,
    readonly currentEpoch: number | null,
  ) {
    super(`${write} refused: epoch ${epoch} no longer leads (the lease is at ${currentEpoch ?? 'none'})`);
  }
}

export interface EvaluatorFence {
  readonly epoch: number;
  /** The lease's length: a transaction left idle this long is ended by the server. */
  readonly leaseMs: number;
  /** Told at each refused write (the evaluator steps down). */
  readonly onFenced: () => void;
  readonly log: Logger;
}

export type EvaluatorStore = HealthStores & {
  /** Saves how far the evaluator read what the collectors stored. */
  saveCursor(cursor: FeedCursor): Promise<void>;
};

/**
 * The health evaluator's store on PostgreSQL: reads as the store reads, and every write the
 * evaluator makes (health commits, the outbox's bookkeeping, applied acknowledgements, retention,
 * its feed cursor) in a transaction fenced by its epoch, so a paused old leader writes nothing once
 * a newer one began. The outbox's `due` is fenced too: an old leader finds nothing to send.
 */
export function fencedEvaluatorStore(
  inner: HealthStores,
  pool: Pick<pg.Pool, 'connect'>,
  fence: EvaluatorFence,
): EvaluatorStore {
  let refused = 0;
  async function fenced<T>(write: string, fn: (db: pg.PoolClient) => Promise<T>): Promise<T> {
    const result = await fencedTransaction(pool, fence.epoch, fence.leaseMs, fn);
    if (result.ok) return result.value;
    refused++;
    fence.log.warn(
      { event: 'write_fenced', code: 'fenced', write, epoch: fence.epoch, currentEpoch: result.currentEpoch, refused },
      'another collector leads the health evaluation now: this write is refused and this one steps down',
    );
    fence.onFenced();
    throw new FencedWriteError(write, fence.epoch, result.currentEpoch);
  }
  return {
    ...inner,
    commit: (change) => fenced('health_commit', (db) => writeHealthCommit(db, change)),
    due: (sink, nowMs, limit) => fenced('outbox_due', (db) => postgresOutbox(db).due(sink, nowMs, limit)),
    delivered: (sink, id) => fenced('outbox_delivered', (db) => postgresOutbox(db).delivered(sink, id)),
    retryLater: (sink, id, nextMs, error) =>
      fenced('outbox_retry', (db) => postgresOutbox(db).retryLater(sink, id, nextMs, error)),
    giveUp: (sink, id, error) => fenced('outbox_give_up', (db) => postgresOutbox(db).giveUp(sink, id, error)),
    ackApplied: (ack) => fenced('ack_applied', (db) => postgresControls(db).ackApplied(ack)),
    pruneHealth: (horizon) => fenced('health_prune', (db) => postgresHealthRetention(db).pruneHealth(horizon)),
    saveCursor: (cursor) => fenced('feed_cursor', (db) => saveFeedCursor(db, cursor)),
  };
}
