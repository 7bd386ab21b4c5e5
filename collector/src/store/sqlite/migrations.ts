import type Database from 'better-sqlite3';
import { type LegacyLatest, legacyFacts, NEW_FACT_KEYS, NULL_IMPLAUSIBLE_LEGACY_SQL } from '../legacy-facts.js';
import { FACT_COLUMNS } from '../sample-facts.js';

/**
 * Numbered schema migrations for SQLite; `PRAGMA user_version` records how many have run. Append
 * only: a released migration is never edited. A migration may have a data step in JavaScript
 * (`sqliteDataSteps`), run after its SQL in the same transaction.
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
  // Samples move to a rowid table: a row holds ~1 KB of probe JSON, and a WITHOUT ROWID table keeps
  // whole rows in its primary-key B-tree, which makes every insert for a random site rewrite fat
  // pages. The identity becomes a small unique index (site, seq, boot), which also serves gap scans.
  `CREATE TABLE samples_v2 (
     site_id         TEXT    NOT NULL,
     boot_id         TEXT    NOT NULL,
     seq             INTEGER NOT NULL,
     wall_ms         INTEGER NOT NULL,
     clock_synced    INTEGER NOT NULL,
     uptime_ms       INTEGER NOT NULL,
     received_ms     INTEGER NOT NULL,
     probes          TEXT    NOT NULL,
     effective_ms    INTEGER NOT NULL,
     time_quality    TEXT    NOT NULL,
     rx_bytes        INTEGER,
     tx_bytes        INTEGER,
     client_rx_bytes INTEGER,
     client_tx_bytes INTEGER,
     clients         INTEGER,
     battery_volts   REAL,
     rtt_gateway_ms  REAL,
     rtt_terminal_ms REAL,
     rtt_internet_ms REAL,
     rtt_noc_ms      REAL
   );
   INSERT INTO samples_v2 (site_id, boot_id, seq, wall_ms, clock_synced, uptime_ms, received_ms, probes,
     effective_ms, time_quality)
   SELECT site_id, boot_id, seq, wall_ms, clock_synced, uptime_ms, received_ms, probes, wall_ms,
     CASE WHEN clock_synced = 1 THEN 'measured' ELSE 'estimated' END FROM samples;
   DROP TABLE samples;
   ALTER TABLE samples_v2 RENAME TO samples;
   CREATE UNIQUE INDEX samples_identity ON samples (site_id, seq, boot_id);
   CREATE INDEX samples_site_time ON samples (site_id, effective_ms);
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
  // 3: a batch's probes are kept once, as the payload the site sent (`payloads`), instead of as ~1 KB
  // of JSON in every sample row and again in the site's row: writing that JSON was most of SQLite's
  // ingest cost (docs/storage.md, "Performance"). Samples stored before keep their JSON in `probes`;
  // newer ones name their payload in `payload_id`. A site row names the payload of its latest sample.
  `CREATE TABLE payloads (
     id          INTEGER PRIMARY KEY,
     site_id     TEXT    NOT NULL,
     received_ms INTEGER NOT NULL,
     payload     BLOB    NOT NULL
   );
   CREATE INDEX payloads_received ON payloads (received_ms);
   CREATE TABLE samples_v3 (
     site_id         TEXT    NOT NULL,
     boot_id         TEXT    NOT NULL,
     seq             INTEGER NOT NULL,
     wall_ms         INTEGER NOT NULL,
     clock_synced    INTEGER NOT NULL,
     uptime_ms       INTEGER NOT NULL,
     received_ms     INTEGER NOT NULL,
     probes          TEXT,
     payload_id      INTEGER,
     effective_ms    INTEGER NOT NULL,
     time_quality    TEXT    NOT NULL,
     rx_bytes        INTEGER,
     tx_bytes        INTEGER,
     client_rx_bytes INTEGER,
     client_tx_bytes INTEGER,
     clients         INTEGER,
     battery_volts   REAL,
     rtt_gateway_ms  REAL,
     rtt_terminal_ms REAL,
     rtt_internet_ms REAL,
     rtt_noc_ms      REAL
   );
   INSERT INTO samples_v3 (site_id, boot_id, seq, wall_ms, clock_synced, uptime_ms, received_ms, probes,
     effective_ms, time_quality, rx_bytes, tx_bytes, client_rx_bytes, client_tx_bytes, clients, battery_volts,
     rtt_gateway_ms, rtt_terminal_ms, rtt_internet_ms, rtt_noc_ms)
   SELECT site_id, boot_id, seq, wall_ms, clock_synced, uptime_ms, received_ms, probes,
     effective_ms, time_quality, rx_bytes, tx_bytes, client_rx_bytes, client_tx_bytes, clients, battery_volts,
     rtt_gateway_ms, rtt_terminal_ms, rtt_internet_ms, rtt_noc_ms FROM samples;
   DROP TABLE samples;
   ALTER TABLE samples_v3 RENAME TO samples;
   CREATE UNIQUE INDEX samples_identity ON samples (site_id, seq, boot_id);
   CREATE INDEX samples_site_time ON samples (site_id, effective_ms);
   ALTER TABLE sites ADD COLUMN last_payload_id INTEGER;`,
  // 4: one storage model with PostgreSQL (docs/storage.md). New fact columns; a site's latest
  // figures are read from its latest sample's row (no payload is decoded to list sites), so the
  // site row keeps only that sample's identity. Counters, and the ranges asked for by resend
  // requests (to count recovered samples). Implausible figures stored before are nulled.
  `ALTER TABLE samples ADD COLUMN under_voltage_now INTEGER;
   ALTER TABLE samples ADD COLUMN under_voltage_since_boot INTEGER;
   ALTER TABLE samples ADD COLUMN loss_gateway_pct REAL;
   ALTER TABLE samples ADD COLUMN loss_terminal_pct REAL;
   ALTER TABLE samples ADD COLUMN loss_internet_pct REAL;
   ALTER TABLE samples ADD COLUMN loss_noc_pct REAL;
   ALTER TABLE samples ADD COLUMN link_up INTEGER;
   ALTER TABLE samples ADD COLUMN previous_run_clean INTEGER;
   ALTER TABLE samples ADD COLUMN system_uptime_ms INTEGER;
   ALTER TABLE samples ADD COLUMN errors TEXT;
   ${NULL_IMPLAUSIBLE_LEGACY_SQL}
   CREATE TABLE counters (
     name  TEXT    NOT NULL,
     key   TEXT    NOT NULL,
     value INTEGER NOT NULL,
     PRIMARY KEY (name, key)
   ) WITHOUT ROWID;
   CREATE TABLE resend_asks (
     site_id  TEXT    NOT NULL,
     from_seq INTEGER NOT NULL,
     to_seq   INTEGER NOT NULL,
     asked_ms INTEGER NOT NULL,
     PRIMARY KEY (site_id, from_seq, to_seq)
   ) WITHOUT ROWID;
   CREATE INDEX resend_asks_time ON resend_asks (asked_ms);`,
  // 5: site health and alerts (docs/storage.md, "Health and alerts"): the site registry, each
  // site's health and alert state, incidents, the transitions' history, the alert outbox, the
  // operator's silences and maintenance windows, and acknowledgements asked for by a command.
  `CREATE TABLE registry (
     site_id               TEXT PRIMARY KEY,
     name                  TEXT NOT NULL,
     kabupaten_code        TEXT NOT NULL,
     kabupaten             TEXT NOT NULL,
     kecamatan_code        TEXT NOT NULL,
     kecamatan             TEXT NOT NULL,
     desa_code             TEXT NOT NULL,
     desa                  TEXT NOT NULL,
     site_group            TEXT NOT NULL,
     latitude              REAL NOT NULL,
     longitude             REAL NOT NULL,
     lvd_volts             REAL,
     sample_interval_sec   INTEGER,
     delivery_interval_sec INTEGER
   ) WITHOUT ROWID;
   CREATE TABLE health_sites (site_id TEXT PRIMARY KEY, state TEXT NOT NULL) WITHOUT ROWID;
   CREATE TABLE health_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
   CREATE TABLE alerts (
     key     TEXT PRIMARY KEY,
     site_id TEXT NOT NULL,
     kind    TEXT NOT NULL,
     record  TEXT NOT NULL
   ) WITHOUT ROWID;
   CREATE TABLE incidents (id TEXT PRIMARY KEY, ends_at_ms INTEGER, record TEXT NOT NULL) WITHOUT ROWID;
   CREATE INDEX incidents_open ON incidents (ends_at_ms);
   CREATE TABLE health_transitions (
     id              INTEGER PRIMARY KEY,
     site_id         TEXT,
     kind            TEXT    NOT NULL,
     event           TEXT    NOT NULL,
     at_ms           INTEGER NOT NULL,
     since_ms        INTEGER NOT NULL,
     cause           TEXT    NOT NULL,
     detail          TEXT    NOT NULL,
     previous_cause  TEXT,
     previous_detail TEXT,
     episode_id      TEXT
   );
   CREATE INDEX health_transitions_site ON health_transitions (site_id, at_ms);
   CREATE TABLE alert_outbox (
     id              INTEGER PRIMARY KEY,
     sink            TEXT    NOT NULL,
     notification_id TEXT    NOT NULL,
     key             TEXT    NOT NULL,
     notification    TEXT    NOT NULL,
     created_ms      INTEGER NOT NULL,
     attempts        INTEGER NOT NULL DEFAULT 0,
     next_attempt_ms INTEGER NOT NULL,
     last_error      TEXT,
     given_up        INTEGER NOT NULL DEFAULT 0,
     UNIQUE (sink, notification_id)
   );
   CREATE INDEX alert_outbox_waiting ON alert_outbox (sink, given_up, key, id);
   CREATE TABLE alert_controls (
     id      TEXT PRIMARY KEY,
     type    TEXT    NOT NULL,
     ends_ms INTEGER NOT NULL,
     record  TEXT    NOT NULL
   ) WITHOUT ROWID;
   CREATE TABLE alert_acks (
     key          TEXT PRIMARY KEY,
     by_name      TEXT    NOT NULL,
     note         TEXT    NOT NULL,
     requested_ms INTEGER NOT NULL
   ) WITHOUT ROWID;`,
  // 6: reports (docs/reports.md). Throughput test results as sample facts; per roll-up, latency in
  // buckets (percentiles over a month merge from them) and the throughput tests. Days still
  // holding samples are rolled up again.
  `ALTER TABLE samples ADD COLUMN throughput_down_bits_per_sec REAL;
   ALTER TABLE samples ADD COLUMN throughput_up_bits_per_sec REAL;
   ALTER TABLE rollups ADD COLUMN latency_histogram TEXT NOT NULL DEFAULT '{}';
   ALTER TABLE rollups ADD COLUMN throughput TEXT NOT NULL DEFAULT '[]';
   INSERT OR IGNORE INTO dirty_days (site_id, day_ms) SELECT site_id, bucket_ms FROM rollups WHERE grain = 'day';`,
  // 7: reports' daily facts per site and local day (docs/reports.md, "Design"), kept for each time
  // zone a report has asked for; a zone's days are filled from the hourly roll-ups when a report
  // first asks for it, then kept up to date by the roll-up job.
  `CREATE TABLE report_zones (time_zone TEXT PRIMARY KEY) WITHOUT ROWID;
   CREATE TABLE report_days (
     time_zone                 TEXT    NOT NULL,
     site_id                   TEXT    NOT NULL,
     day_ms                    INTEGER NOT NULL,
     online_minutes            INTEGER NOT NULL,
     active_minutes            INTEGER NOT NULL,
     client_rx_bytes           INTEGER NOT NULL,
     client_tx_bytes           INTEGER NOT NULL,
     clients_max               INTEGER,
     received                  INTEGER NOT NULL,
     expected                  INTEGER NOT NULL,
     active_by_hour            TEXT    NOT NULL,
     battery_known             INTEGER NOT NULL,
     battery_min_morning_volts REAL,
     battery_min_evening_volts REAL,
     latency_internet          TEXT,
     latency_noc               TEXT,
     throughput                TEXT    NOT NULL,
     PRIMARY KEY (time_zone, site_id, day_ms)
   ) WITHOUT ROWID;`,
  // 8: the HTTP API's audit log: one line per write (docs/api.md, "Access").
  `CREATE TABLE audit_log (
     id        INTEGER PRIMARY KEY AUTOINCREMENT,
     at_ms     INTEGER NOT NULL,
     user_name TEXT    NOT NULL,
     role      TEXT    NOT NULL,
     action    TEXT    NOT NULL,
     target    TEXT    NOT NULL,
     ok        INTEGER NOT NULL,
     detail    TEXT    NOT NULL
   );`,
  // 9: solar power as a sample fact and, per roll-up, its mean (docs/storage.md). Rows stored
  // before hold null: their samples' solar figures stay only in the payloads.
  `ALTER TABLE samples ADD COLUMN solar_watts REAL;
   ALTER TABLE rollups ADD COLUMN solar_mean_watts REAL;`,
  // 10: a decommissioned site stays in the registry, marked with when it was taken out of service
  // (docs/health.md, "Decommissioned sites"); null while in service.
  'ALTER TABLE registry ADD COLUMN decommissioned_ms INTEGER;',
];

/** Data steps by migration number. */
export const sqliteDataSteps: Readonly<Record<number, (db: Database.Database) => void>> = {
  4: backfillLatestFacts,
};

/** Migration 4: each site's latest sample gets the new fact columns, then the site row drops what it duplicated. */
function backfillLatestFacts(db: Database.Database): void {
  const latest = db
    .prepare<[], LegacyLatest & { id: number }>(
      `SELECT s.rowid AS id, s.site_id, s.boot_id, s.seq, s.probes, p.payload
       FROM sites JOIN samples s
       ON s.site_id = sites.site_id AND s.seq = sites.last_seq AND s.boot_id = sites.last_boot_id
       LEFT JOIN payloads p ON p.id = s.payload_id`,
    )
    .all();
  const columns = NEW_FACT_KEYS.map((k) => FACT_COLUMNS.find((f) => f.key === k)?.column);
  const update = db.prepare(`UPDATE samples SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE rowid = ?`);
  for (const row of latest) {
    const facts = legacyFacts(row);
    if (facts === null) continue;
    const values = NEW_FACT_KEYS.map((k) => {
      const v = facts[k];
      return typeof v === 'boolean' ? (v ? 1 : 0) : v;
    });
    update.run(...values, row.id);
  }
  for (const column of ['last_probes', 'last_payload_id', 'last_wall_ms', 'last_clock_synced', 'last_uptime_ms']) {
    db.exec(`ALTER TABLE sites DROP COLUMN ${column}`);
  }
}
