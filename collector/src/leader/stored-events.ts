import type { SiteStatus, TelemetryBatch } from '@pantau/shared';

/** Where the evaluator stopped reading stored batches; opaque to everyone but the store that made it. */
export type FeedCursor = string;

export interface StoredBatch {
  readonly batch: TelemetryBatch;
  readonly receivedMs: number;
}

export interface StoredStatus {
  readonly status: SiteStatus;
  readonly receivedMs: number;
}

/**
 * What every collector stored, as the one health evaluator reads it: with shared subscriptions
 * each collector receives only a share of the sites' messages, so the evaluator reads them back
 * from the store instead of from its own ingest.
 */
export interface StoredEvents {
  /** Where the last evaluator's saved cursor stands, or the present end when none was saved. */
  startCursor(): Promise<FeedCursor>;
  /**
   * Batches stored after `after`, oldest first, at most `limit`; only those no batch stored
   * earlier can still join (a later read never finds one behind the cursor it returned).
   */
  batches(after: FeedCursor, limit: number): Promise<{ items: StoredBatch[]; next: FeedCursor }>;
  /** Each site's newest applied status received at or after `sinceMs`. */
  statuses(sinceMs: number): Promise<StoredStatus[]>;
}
