import { toBatchRows } from '../batch-rows.js';
import type { Store } from '../store.js';
import { openSqliteCore } from './core.js';

/**
 * SQLite via better-sqlite3 in WAL mode, on the calling thread. Writes are synchronous and commit in
 * microseconds, so the collector can acknowledge a message right after its transaction. Batches go
 * to the store as rows, never packed.
 */
export function openSqliteStore(path: string): Store {
  const { insertRows, ...core } = openSqliteCore(path);
  return { ...core, commitsOffThread: false, insertBatches: (items) => insertRows(items.map(toBatchRows)) };
}
