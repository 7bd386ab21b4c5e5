/**
 * Numbered schema migrations for SQLite; `PRAGMA user_version` records how many have run. Append
 * only: a released migration is never edited.
 */
export const sqliteMigrations: readonly string[] = [
  // 1: samples keyed by their identity, and one row per site with its latest state.
  `CREATE TABLE samples (
     site_id      TEXT    NOT NULL,
     boot_id      TEXT    NOT NULL,
     seq          INTEGER NOT NULL,
     wall_ms      INTEGER NOT NULL,
     clock_synced INTEGER NOT NULL,
     uptime_ms    INTEGER NOT NULL,
     received_ms  INTEGER NOT NULL,
     probes       TEXT    NOT NULL,
     PRIMARY KEY (site_id, boot_id, seq)
   ) WITHOUT ROWID;
   CREATE TABLE sites (
     site_id            TEXT PRIMARY KEY,
     first_seen_ms      INTEGER NOT NULL,
     last_seen_ms       INTEGER NOT NULL,
     samples            INTEGER NOT NULL DEFAULT 0,
     last_seq           INTEGER,
     last_boot_id       TEXT,
     last_wall_ms       INTEGER,
     last_clock_synced  INTEGER,
     last_uptime_ms     INTEGER,
     last_probes        TEXT,
     status_state       TEXT,
     status_reason      TEXT,
     status_epoch       INTEGER,
     status_agent       TEXT,
     status_received_ms INTEGER
   ) WITHOUT ROWID;`,
];
