import type { SiteStatus, TelemetryBatch } from '@pantau/shared';

export interface InsertResult {
  readonly inserted: number;
  readonly duplicates: number;
}

export type StatusOutcome = 'applied' | 'stale';

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
  readonly wallMs: number;
  readonly receivedMs: number;
}

/**
 * The collector's storage. Samples are keyed by (site, boot id, seq): storing one twice is a no-op
 * that is counted. Every method resolves once the data is committed.
 */
export interface Store {
  insertBatch(batch: TelemetryBatch, receivedMs: number): Promise<InsertResult>;
  /** Keeps the newest status per site; a will from an older connection epoch is `stale`. */
  applyStatus(status: SiteStatus, receivedMs: number): Promise<StatusOutcome>;
  listSites(): Promise<SiteSummary[]>;
  /** Samples of one site in sequence order (for tests, reports and gap checks). */
  listSamples(siteId: string): Promise<StoredSample[]>;
  close(): Promise<void>;
}
