import type { CollectorConfig } from '../config/schema.js';
import { openPostgresStore } from './pg-store.js';
import { openSqliteStore } from './sqlite-store.js';
import type { Store } from './store.js';

/** PostgreSQL when `store.postgresUrl` is set, else SQLite at `store.sqlitePath`. */
export async function openConfiguredStore(config: Pick<CollectorConfig, 'store'>): Promise<Store> {
  const { postgresUrl, postgresPoolSize, sqlitePath } = config.store;
  return postgresUrl === undefined
    ? openSqliteStore(sqlitePath)
    : openPostgresStore({ connectionString: postgresUrl, maxConnections: postgresPoolSize });
}
