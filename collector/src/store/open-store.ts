import type { CollectorConfig } from '../config/schema.js';
import { openPostgresStore } from './pg-store.js';
import { openSqliteStore } from './sqlite-store.js';
import { openSqliteStoreInWorker } from './sqlite-worker-store.js';
import type { Store } from './store.js';

/** PostgreSQL when `store.postgresUrl` is set, else SQLite at `store.sqlitePath` (on a worker thread unless told not to). */
export async function openConfiguredStore(config: Pick<CollectorConfig, 'store'>): Promise<Store> {
  const { postgresUrl, postgresPoolSize, sqlitePath, sqliteWorker } = config.store;
  if (postgresUrl !== undefined) {
    return openPostgresStore({ connectionString: postgresUrl, maxConnections: postgresPoolSize });
  }
  return sqliteWorker ? openSqliteStoreInWorker(sqlitePath) : openSqliteStore(sqlitePath);
}
