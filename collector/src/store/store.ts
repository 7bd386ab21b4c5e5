import type { SiteStatus } from '@pantau/shared';
import type { AlertOutbox, ControlsStore, HealthRetention, HealthStateStore } from '../health/ports.js';
import type { DailyFactsSource } from '../health/underused.js';
import type { AuditLog } from '../http/audit-log.js';
import type { FleetView } from '../http/overview/fleet-view.js';
import type { SiteRegistry } from '../registry/site-registry.js';
import type { ReportTimeZone } from '../reports/config.js';
import type { StoredCounters } from './counters.js';
import type {
  BatchItem,
  DayCompleteness,
  InsertResult,
  SeqRange,
  SiteSummary,
  StatusOutcome,
  StoredReject,
  StoredSample,
} from './records.js';
import type { ReportDay } from './report-days.js';
import type { Rollup, RollupGrain } from './rollup.js';

/*
 * The collector's storage, split by the roles of its callers. Each role has one contract suite
 * (tests/contract/) run against SQLite, SQLite on its worker thread and PostgreSQL. Every method
 * resolves once its data is committed. docs/storage.md says how to add a role.
 */

/** What ingest writes: batches (idempotent on each sample's identity), statuses, rejects. */
export interface IngestStore {
  /**
   * True when commits run off the calling thread (SQLite on its worker thread): the collector then
   * commits smaller groups, so that it decodes the next messages while one group commits.
   */
  readonly commitsOffThread: boolean;
  /**
   * Stores batches in one transaction (clock correction, latest sample, dirty roll-up days, the
   * counters of duplicates, implausible figures and recovered samples); results in the same order.
   */
  insertBatches(items: readonly BatchItem[]): Promise<InsertResult[]>;
  /** Keeps the newest status per site; a will from an older connection epoch is `stale` (and counted). */
  applyStatus(status: SiteStatus, receivedMs: number): Promise<StatusOutcome>;
  /** Counts the reject by reason and keeps it in the quarantine, trimmed to the newest `keep`, at once. */
  recordReject(reject: StoredReject, keep: number): Promise<void>;
}

/** What the gap tracker reads and writes: holes, the requests that ask for them, ranges gone for good. */
export interface GapStore {
  /** Holes between received sequence numbers that the site has not declared gone; at most `limit`. */
  missingRanges(siteId: string, limit: number): Promise<SeqRange[]>;
  /** A resend request was published: counts it, and remembers the range so samples that fill it count as recovered. */
  recordResendRequest(siteId: string, range: SeqRange, askedMs: number): Promise<void>;
  /** The site no longer holds these: stop asking for them; they count as permanently missing. */
  markGone(siteId: string, ranges: readonly SeqRange[]): Promise<void>;
}

/** The background jobs' work: roll-ups of touched site-days, and retention. */
export interface MaintenanceStore {
  /** Recomputes up to `limit` site-days touched since the last run; returns how many it did. */
  refreshRollups(limit: number): Promise<number>;
  /**
   * Deletes raw samples filed before `beforeMs` (roll-ups are kept, and each site's latest sample),
   * the payloads and resend requests past it; returns how many samples.
   */
  pruneSamples(beforeMs: number): Promise<number>;
}

/** What commands and reports read. */
export interface ReportStore {
  listSites(): Promise<SiteSummary[]>;
  /** Samples of one site in sequence order. */
  listSamples(siteId: string): Promise<StoredSample[]>;
  /** The sequence numbers received for a site, as compact ranges in order. */
  receivedRanges(siteId: string): Promise<SeqRange[]>;
  rollups(siteId: string, grain: RollupGrain, fromMs: number, toMs: number): Promise<Rollup[]>;
  /**
   * The roll-ups of these sites (null: every site) of one grain with buckets in [fromMs, toMs), by
   * site id then bucket. A report reads a fleet a slice of sites at a time, so its memory stays bounded.
   */
  rollupsInRange(
    grain: RollupGrain,
    fromMs: number,
    toMs: number,
    siteIds: readonly string[] | null,
  ): Promise<Rollup[]>;
  /**
   * Reports' daily facts of these sites (null: every site) for the local days of `timeZone` starting
   * in [fromMs, toMs), by site id then day. The first call for a zone fills its days from the hourly
   * roll-ups (once); the roll-up job keeps them up to date from then on.
   */
  reportDays(
    timeZone: ReportTimeZone,
    fromMs: number,
    toMs: number,
    siteIds: readonly string[] | null,
  ): Promise<ReportDay[]>;
  completeness(siteId: string, fromMs: number, toMs: number): Promise<DayCompleteness[]>;
  /** The quarantine, newest first. */
  listRejects(limit: number): Promise<StoredReject[]>;
  counters(): Promise<StoredCounters>;
}

/**
 * Health and alerts: the site registry, health state (one transaction per commit), the alert
 * outbox, the operator's controls, and the daily roll-ups as health reads them. The roles'
 * interfaces live beside their callers (health/ports.ts, registry/site-registry.ts).
 */
export interface HealthStores
  extends SiteRegistry,
    HealthStateStore,
    AlertOutbox,
    ControlsStore,
    HealthRetention,
    DailyFactsSource {}

/** Every role of one open store, and its lifecycle. */
export interface Store extends IngestStore, GapStore, MaintenanceStore, ReportStore, HealthStores, AuditLog, FleetView {
  /** Safe to call twice; calls after it fail. */
  close(): Promise<void>;
}
