import type { SiteStatus, TelemetryBatch } from '@pantau/shared';
import type { SampleFacts } from './sample-facts.js';

/** One implausible figure of a batch (ingest/plausibility.ts): the sample's index and `section.field`. */
export interface ImplausibleFigure {
  readonly sample: number;
  readonly field: string;
}

export interface BatchItem {
  readonly batch: TelemetryBatch;
  readonly receivedMs: number;
  /**
   * The message as the site sent it (any wire encoding), which `batch` was decoded from: the store
   * keeps it as the batch's raw record for audit. Without it the store keeps the batch as JSON.
   */
  readonly payload?: Uint8Array | undefined;
  /** Figures ingest nulled as implausible; counted for the samples that are new. */
  readonly implausible?: readonly ImplausibleFigure[] | undefined;
}

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

/** A site's latest sample (the highest seq): its identity, time and figures. */
export interface LatestSample extends Omit<StoredSample, 'siteId'> {
  readonly figures: SampleFacts;
}

/** One site as the NOC sees it: its latest sample and its latest status. */
export interface SiteSummary {
  readonly siteId: string;
  /** When the collector last received anything from the site (telemetry or status). */
  readonly lastSeenMs: number;
  readonly samples: number;
  /** Null until a sample is stored (or if retention deleted it before retention kept each site's latest). */
  readonly lastSample: LatestSample | null;
  readonly status: {
    readonly state: SiteStatus['state'];
    readonly reason: SiteStatus['reason'];
    readonly epoch: number;
    readonly agentVersion: string;
    readonly receivedMs: number;
  } | null;
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
