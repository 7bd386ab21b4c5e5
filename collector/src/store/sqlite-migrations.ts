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
  // 2: clock-corrected time, roll-up facts, boots, roll-ups, dirty days, gone ranges, quarantine.
  `ALTER TABLE samples ADD COLUMN effective_ms INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE samples ADD COLUMN time_quality TEXT NOT NULL DEFAULT 'measured';
   UPDATE samples SET effective_ms = wall_ms,
     time_quality = CASE WHEN clock_synced = 1 THEN 'measured' ELSE 'estimated' END;
   ALTER TABLE samples ADD COLUMN rx_bytes INTEGER;
   ALTER TABLE samples ADD COLUMN tx_bytes INTEGER;
   ALTER TABLE samples ADD COLUMN client_rx_bytes INTEGER;
   ALTER TABLE samples ADD COLUMN client_tx_bytes INTEGER;
   ALTER TABLE samples ADD COLUMN clients INTEGER;
   ALTER TABLE samples ADD COLUMN battery_volts REAL;
   ALTER TABLE samples ADD COLUMN rtt_gateway_ms REAL;
   ALTER TABLE samples ADD COLUMN rtt_terminal_ms REAL;
   ALTER TABLE samples ADD COLUMN rtt_internet_ms REAL;
   ALTER TABLE samples ADD COLUMN rtt_noc_ms REAL;
   CREATE INDEX samples_site_time ON samples (site_id, effective_ms);
   CREATE INDEX samples_site_seq ON samples (site_id, seq);
   CREATE TABLE boots (
     site_id   TEXT    NOT NULL,
     boot_id   TEXT    NOT NULL,
     offset_ms INTEGER NOT NULL,
     PRIMARY KEY (site_id, boot_id)
   ) WITHOUT ROWID;
   CREATE TABLE dirty_days (
     site_id TEXT    NOT NULL,
     day_ms  INTEGER NOT NULL,
     PRIMARY KEY (site_id, day_ms)
   ) WITHOUT ROWID;
   INSERT INTO dirty_days SELECT DISTINCT site_id, (effective_ms / 86400000) * 86400000 FROM samples;
   CREATE TABLE rollups (
     site_id          TEXT    NOT NULL,
     grain            TEXT    NOT NULL,
     bucket_ms        INTEGER NOT NULL,
     samples          INTEGER NOT NULL,
     online_minutes   INTEGER NOT NULL,
     active_minutes   INTEGER NOT NULL,
     rx_bytes         INTEGER NOT NULL,
     tx_bytes         INTEGER NOT NULL,
     client_rx_bytes  INTEGER NOT NULL,
     client_tx_bytes  INTEGER NOT NULL,
     latency          TEXT    NOT NULL,
     battery_min_volts REAL,
     battery_max_volts REAL,
     clients_max      INTEGER,
     received         INTEGER NOT NULL,
     expected         INTEGER NOT NULL,
     PRIMARY KEY (site_id, grain, bucket_ms)
   ) WITHOUT ROWID;
   CREATE TABLE gone_ranges (
     site_id  TEXT    NOT NULL,
     from_seq INTEGER NOT NULL,
     to_seq   INTEGER NOT NULL,
     PRIMARY KEY (site_id, from_seq, to_seq)
   ) WITHOUT ROWID;
   CREATE TABLE rejects (
     id              INTEGER PRIMARY KEY AUTOINCREMENT,
     received_ms     INTEGER NOT NULL,
     reason          TEXT    NOT NULL,
     detail          TEXT    NOT NULL,
     topic           TEXT    NOT NULL,
     first_bytes_hex TEXT    NOT NULL
   );
   CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;`,
];
