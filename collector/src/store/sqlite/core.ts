import type { AuditLog } from '../../http/audit-log.js';
import type { FleetView } from '../../http/overview/fleet-view.js';
import type { BatchRows } from '../batch-rows.js';
import type { InsertResult } from '../records.js';
import type { GapStore, HealthStores, IngestStore, MaintenanceStore, ReportStore } from '../store.js';
import { sqliteControls, sqliteOutbox } from './alert-outbox.js';
import { sqliteAuditLog } from './audit-log.js';
import { openSqliteDatabase } from './connection.js';
import { sqliteFleetView } from './fleet-view.js';
import { sqliteGaps } from './gaps.js';
import { sqliteHealthRetention } from './health-retention.js';
import { sqliteHealthState } from './health-state.js';
import { sqliteIngest } from './ingest.js';
import { sqliteMaintenance } from './maintenance.js';
import { sqliteRegistry } from './registry.js';
import { sqliteReportDays } from './report-days.js';
import { sqliteReports } from './reports.js';

/**
 * The SQLite store's work on whichever thread holds the connection (this one, or the worker's):
 * every role, with batches handed over as rows rather than decoded.
 */
export interface SqliteCore
  extends Omit<IngestStore, 'insertBatches' | 'commitsOffThread'>,
    GapStore,
    MaintenanceStore,
    ReportStore,
    HealthStores,
    AuditLog,
    FleetView {
  /** Batches as rows, in one transaction; results in the same order. */
  insertRows(batches: readonly BatchRows[]): Promise<InsertResult[]>;
  close(): Promise<void>;
}

/** The methods the worker store forwards by name (all but the insert, which is packed, and close). */
export type ForwardedMethod = Exclude<keyof SqliteCore, 'insertRows' | 'close'>;

/** Every forwarded method once; a role added to `SqliteCore` without its names here does not compile. */
export const FORWARDED_METHODS = [
  'applyStatus',
  'recordReject',
  'missingRanges',
  'recordResendRequest',
  'markGone',
  'refreshRollups',
  'pruneSamples',
  'listSites',
  'listSamples',
  'receivedRanges',
  'rollups',
  'rollupsInRange',
  'reportDays',
  'completeness',
  'listRejects',
  'counters',
  'get',
  'list',
  'upsert',
  'decommission',
  'load',
  'commit',
  'history',
  'siteDays',
  'due',
  'delivered',
  'retryLater',
  'giveUp',
  'waiting',
  'silences',
  'maintenance',
  'putSilence',
  'putMaintenance',
  'end',
  'requestAck',
  'pendingAcks',
  'ackApplied',
  'pruneHealth',
  'appendAudit',
  'recentAudit',
  'fleetAlerts',
  'fleetLatest',
  'openIncidentList',
  'siteView',
] as const satisfies readonly ForwardedMethod[];
const allForwarded: [ForwardedMethod] extends [(typeof FORWARDED_METHODS)[number]] ? true : never = true;
void allForwarded;

/** The connection, its migrations and each role's statements, on this thread. */
export function openSqliteCore(path: string): SqliteCore {
  const db = openSqliteDatabase(path);
  const { refreshReportDays, reportDays } = sqliteReportDays(db);
  return {
    ...sqliteIngest(db),
    ...sqliteGaps(db),
    ...sqliteMaintenance(db, { refreshReportDays }),
    ...sqliteReports(db),
    reportDays,
    ...sqliteRegistry(db),
    ...sqliteHealthState(db),
    ...sqliteOutbox(db),
    ...sqliteControls(db),
    ...sqliteHealthRetention(db),
    ...sqliteAuditLog(db),
    ...sqliteFleetView(db),
    async close() {
      if (db.open) db.close();
    },
  };
}
