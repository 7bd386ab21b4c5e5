import type { Store } from '../store.js';
import { postgresControls, postgresOutbox } from './alert-outbox.js';
import { postgresAuditLog } from './audit-log.js';
import { postgresFleetView } from './fleet-view.js';
import { postgresGaps } from './gaps.js';
import { postgresHealthRetention } from './health-retention.js';
import { postgresHealthState } from './health-state.js';
import { postgresIngest } from './ingest.js';
import { postgresMaintenance } from './maintenance.js';
import { openPool } from './pool.js';
import { postgresRegistry } from './registry.js';
import { postgresReportDays } from './report-days.js';
import { postgresReports } from './reports.js';

export interface PostgresStoreOptions {
  readonly connectionString: string;
  /** Pool size; each ingest connection needs one while it commits. */
  readonly maxConnections?: number;
}

/**
 * PostgreSQL via a `pg` pool, for fleets and several collectors sharing one subscription: the same
 * storage model and behaviour as the SQLite store (docs/storage.md; the role contracts run on both).
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const pool = await openPool(options.connectionString, options.maxConnections ?? 4);
  let closing: Promise<void> | null = null;
  return {
    ...postgresIngest(pool),
    ...postgresGaps(pool),
    ...postgresMaintenance(pool),
    ...postgresReports(pool),
    ...postgresReportDays(pool),
    ...postgresRegistry(pool),
    ...postgresHealthState(pool),
    ...postgresOutbox(pool),
    ...postgresControls(pool),
    ...postgresHealthRetention(pool),
    ...postgresAuditLog(pool),
    ...postgresFleetView(pool),
    close() {
      closing ??= pool.end().catch(() => {});
      return closing;
    },
  };
}
