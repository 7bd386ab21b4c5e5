import type { CollectorConfig } from '../config/schema.js';
import { openPostgresStore } from './postgres/postgres-store.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';
import { openSqliteStoreInWorker } from './sqlite/worker-store.js';
import type { Store } from './store.js';

/**
 * PostgreSQL when `store.postgresUrl` is set, else SQLite at `store.sqlitePath`: on a worker thread
 * when `store.sqliteWorker` says so or, unset, when ingest has more than one connection.
 */
export async function openConfiguredStore(config: Pick<CollectorConfig, 'store' | 'ingest'>): Promise<Store> {
  const { postgresUrl, postgresPoolSize, sqlitePath, sqliteWorker } = config.store;
  if (postgresUrl !== undefined) {
    return openPostgresStore({ connectionString: postgresUrl, maxConnections: postgresPoolSize });
  }
  const onWorker = sqliteWorker ?? config.ingest.connections > 1;
  return onWorker ? openSqliteStoreInWorker(sqlitePath) : openSqliteStore(sqlitePath);
}
