import Database from 'better-sqlite3';
import { sqliteDataSteps, sqliteMigrations } from './migrations.js';

/** Opens (creating if needed) and migrates a SQLite database for the store, on the calling thread. */
export function openSqliteDatabase(path: string): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL mode: COMMIT returns once the transaction's frames are written to the WAL file
  // (in the OS page cache), without an fsync; SQLite fsyncs at checkpoints. So a commit survives a
  // crash or SIGKILL of the collector (the kernel still writes the page cache out), which is what
  // acknowledging after commit needs. Only an OS crash or power cut at the NOC may lose the last
  // transactions since a checkpoint; the gap tracker's resend requests repair that end to end.
  db.pragma('synchronous = NORMAL');
  // Checkpoint every 64 MiB of WAL instead of 4 MiB: pages that every commit rewrites (index
  // interior pages, the table's tail) are copied to the database once per checkpoint, and fsyncs
  // are rarer (docs/storage.md, "Performance").
  db.pragma('wal_autocheckpoint = 16000');
  db.pragma('busy_timeout = 5000');
  // 64 MiB of page cache: index inserts for 100,000 sites land on random pages.
  db.pragma('cache_size = -65536');
  try {
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** Runs the migrations not yet applied, each with its data step, in its own transaction. */
function migrate(db: Database.Database): void {
  const applied = db.pragma('user_version', { simple: true }) as number;
  for (let i = applied; i < sqliteMigrations.length; i++) {
    db.transaction(() => {
      db.exec(sqliteMigrations[i] ?? '');
      sqliteDataSteps[i + 1]?.(db);
      db.pragma(`user_version = ${i + 1}`);
    })();
  }
}
