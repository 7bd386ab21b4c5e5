import type { SiteStatus, TelemetryBatch } from '@pantau/shared';
import type { Rollup, RollupGrain } from './rollup.js';

export interface InsertResult {
  readonly inserted: number;
  readonly duplicates: number;
}

export type StatusOutcome = 'applied' | 'stale';

/**
 * Which time a stored sample has: `measured` (the Pi's clock was synchronised), `corrected`
 * (re-based from a synchronised sample of the same boot: uptime + that boot's offset), or
 * `estimated` (no synchronised sample of that boot yet: re-based from the time of receipt).
 */
export type TimeQuality = 'measured' | 'corrected' | 'estimated';

/** One site as the NOC sees it: when it was last heard and its latest sample. */
export interface SiteSummary {
  readonly siteId: string;
  readonly lastSeenMs: number;
  readonly samples: number;
  readonly lastSample: {
    readonly seq: number;
    readonly bootId: string;
    readonly wallMs: number;
    readonly clockSynced: boolean;
    readonly uptimeMs: number;
    readonly probes: TelemetryBatch['samples'][number]['probes'];
  } | null;
  readonly status: {
    readonly state: SiteStatus['state'];
    readonly reason: SiteStatus['reason'];
    readonly epoch: number;
    readonly agentVersion: string;
    readonly receivedMs: number;
  } | null;
}

export interface StoredSample {
  readonly siteId: string;
  readonly bootId: string;
  readonly seq: number;
  /** As the site sent it. */
  readonly wallMs: number;
  readonly clockSynced: boolean;
  readonly uptimeMs: number;
  /** The time the collector files the sample under (roll-ups, retention). */
  readonly effectiveMs: number;
  readonly timeQuality: TimeQuality;
  readonly receivedMs: number;
}

/** An inclusive range of sequence numbers. */
export interface SeqRange {
  readonly fromSeq: number;
  readonly toSeq: number;
}

/** A rejected message as kept in the quarantine (bounded; oldest dropped first). */
export interface StoredReject {
  readonly reason: string;
  readonly detail: string;
  readonly topic: string;
  /** The first bytes, hex encoded: enough to recognise the sender, never a whole payload. */
  readonly firstBytesHex: string;
  readonly receivedMs: number;
}

/** Completeness of one site on one UTC day: received / expected samples (see docs/storage.md). */
export interface DayCompleteness {
  readonly siteId: string;
  readonly dayMs: number;
  readonly received: number;
  readonly expected: number;
  readonly completeness: number;
}

export interface BatchItem {
  readonly batch: TelemetryBatch;
  readonly receivedMs: number;
  /**
   * The message as the site sent it (any wire encoding), which `batch` was decoded from. A store
   * may keep it as the batch's raw record instead of writing each sample's probes again; without
   * it such a store encodes the batch itself.
   */
  readonly payload?: Uint8Array | undefined;
}

/**
 * The collector's storage. Samples are keyed by (site, boot id, seq): storing one twice is a no-op
 * that is counted. Every method resolves once the data is committed. One contract suite
 * (tests/contract/store.contract.ts) runs against every implementation.
 */
export interface Store {
  /**
   * Set when commits run off the calling thread (SQLite on its worker thread): the collector then
   * commits smaller groups, so that it decodes the next messages while one group commits.
   */
  readonly commitsOffThread?: boolean;
  /** Stores a batch in one transaction: clock correction, latest values, dirty roll-up days. */
  insertBatch(batch: TelemetryBatch, receivedMs: number, payload?: Uint8Array): Promise<InsertResult>;
  /** Several batches in one transaction (group commit); results in the same order. */
  insertBatches(items: readonly BatchItem[]): Promise<InsertResult[]>;
  /** Keeps the newest status per site; a will from an older connection epoch is `stale`. */
  applyStatus(status: SiteStatus, receivedMs: number): Promise<StatusOutcome>;
  listSites(): Promise<SiteSummary[]>;
  /** Samples of one site in sequence order (for tests, reports and gap checks). */
  listSamples(siteId: string): Promise<StoredSample[]>;

  /** Keeps a reject in the quarantine table, trimmed to the newest `keep`. */
  recordReject(reject: StoredReject, keep: number): Promise<void>;
  /** Newest first. */
  listRejects(limit: number): Promise<StoredReject[]>;

  /** The sequence numbers received for a site, as compact ranges in order. */
  receivedRanges(siteId: string): Promise<SeqRange[]>;
  /** Holes between received sequence numbers that the site has not declared gone; at most `limit`. */
  missingRanges(siteId: string, limit: number): Promise<SeqRange[]>;
  /** The site no longer holds these: stop asking for them; they count as permanently missing. */
  markGone(siteId: string, ranges: readonly SeqRange[]): Promise<void>;

  /** Recomputes up to `limit` site-days touched since the last run; returns how many it did. */
  refreshRollups(limit: number): Promise<number>;
  rollups(siteId: string, grain: RollupGrain, fromMs: number, toMs: number): Promise<Rollup[]>;
  completeness(siteId: string, fromMs: number, toMs: number): Promise<DayCompleteness[]>;

  /** Deletes raw samples filed before `beforeMs` (roll-ups are kept); returns how many. */
  pruneSamples(beforeMs: number): Promise<number>;
  close(): Promise<void>;
}
