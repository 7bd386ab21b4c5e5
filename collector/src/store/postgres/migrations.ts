import type pg from 'pg';
import { type LegacyLatest, legacyFacts, NEW_FACT_KEYS, NULL_IMPLAUSIBLE_LEGACY_SQL } from '../legacy-facts.js';
import { FACT_COLUMNS } from '../sample-facts.js';

/**
 * Numbered schema migrations for PostgreSQL; `schema_migrations` records which have run, and an
 * advisory lock lets several collectors start at once. Append only: a released migration is never
 * edited. Times are epoch milliseconds (bigint), as in SQLite, so both stores answer alike. A
 * migration may have a data step in JavaScript (`pgDataSteps`), run after its SQL in the same
 * transaction.
 */
export const pgMigrations: readonly string[] = [
  // 1: the whole schema of SQLite migrations 1 and 2.
  `CREATE TABLE samples (
     site_id         text    NOT NULL,
     boot_id         text    NOT NULL,
     seq             bigint  NOT NULL,
     wall_ms         bigint  NOT NULL,
     clock_synced    boolean NOT NULL,
     uptime_ms       bigint  NOT NULL,
     received_ms     bigint  NOT NULL,
     probes          text    NOT NULL,
     effective_ms    bigint  NOT NULL,
     time_quality    text    NOT NULL,
     rx_bytes        bigint,
     tx_bytes        bigint,
     client_rx_bytes bigint,
     client_tx_bytes bigint,
     clients         integer,
     battery_volts   double precision,
     rtt_gateway_ms  double precision,
     rtt_terminal_ms double precision,
     rtt_internet_ms double precision,
     rtt_noc_ms      double precision,
     -- (site, seq, boot): the identity, and in seq order for gap scans and completeness.
     PRIMARY KEY (site_id, seq, boot_id)
   );
   CREATE INDEX samples_site_time ON samples (site_id, effective_ms);
   CREATE TABLE sites (
     site_id            text PRIMARY KEY,
     first_seen_ms      bigint NOT NULL,
     last_seen_ms       bigint NOT NULL,
     samples            bigint NOT NULL DEFAULT 0,
     last_seq           bigint,
     last_boot_id       text,
     last_wall_ms       bigint,
     last_clock_synced  boolean,
     last_uptime_ms     bigint,
     last_probes        text,
     status_state       text,
     status_reason      text,
     status_epoch       bigint,
     status_agent       text,
     status_received_ms bigint
   );
   CREATE TABLE boots (
     site_id   text   NOT NULL,
     boot_id   text   NOT NULL,
     offset_ms bigint NOT NULL,
     PRIMARY KEY (site_id, boot_id)
   );
   CREATE TABLE dirty_days (
     site_id text   NOT NULL,
     day_ms  bigint NOT NULL,
     PRIMARY KEY (site_id, day_ms)
   );
   CREATE TABLE rollups (
     site_id           text    NOT NULL,
     grain             text    NOT NULL,
     bucket_ms         bigint  NOT NULL,
     samples           integer NOT NULL,
     online_minutes    integer NOT NULL,
     active_minutes    integer NOT NULL,
     rx_bytes          bigint  NOT NULL,
     tx_bytes          bigint  NOT NULL,
     client_rx_bytes   bigint  NOT NULL,
     client_tx_bytes   bigint  NOT NULL,
     latency           text    NOT NULL,
     battery_min_volts double precision,
     battery_max_volts double precision,
     clients_max       integer,
     received          integer NOT NULL,
     expected          integer NOT NULL,
     PRIMARY KEY (site_id, grain, bucket_ms)
   );
   CREATE TABLE gone_ranges (
     site_id  text   NOT NULL,
     from_seq bigint NOT NULL,
     to_seq   bigint NOT NULL,
     PRIMARY KEY (site_id, from_seq, to_seq)
   );
   CREATE TABLE rejects (
     id              bigserial PRIMARY KEY,
     received_ms     bigint NOT NULL,
     reason          text   NOT NULL,
     detail          text   NOT NULL,
     topic           text   NOT NULL,
     first_bytes_hex text   NOT NULL
   );
   CREATE TABLE meta (key text PRIMARY KEY, value bigint NOT NULL);`,
  // 2: the storage model SQLite has from its migration 4 (docs/storage.md): each message kept once
  // as its payload, no probes JSON per sample (samples stored before keep theirs), new fact
  // columns, the site row naming its latest sample only, counters, the ranges resend requests
  // asked for. Implausible figures stored before are nulled.
  `ALTER TABLE samples ALTER COLUMN probes DROP NOT NULL;
   ALTER TABLE samples
     ADD COLUMN payload_id               bigint,
     ADD COLUMN under_voltage_now        boolean,
     ADD COLUMN under_voltage_since_boot boolean,
     ADD COLUMN loss_gateway_pct         double precision,
     ADD COLUMN loss_terminal_pct        double precision,
     ADD COLUMN loss_internet_pct        double precision,
     ADD COLUMN loss_noc_pct             double precision,
     ADD COLUMN link_up                  boolean,
     ADD COLUMN previous_run_clean       boolean,
     ADD COLUMN system_uptime_ms         bigint,
     ADD COLUMN errors                   text;
   ${NULL_IMPLAUSIBLE_LEGACY_SQL}
   CREATE TABLE payloads (
     id          bigserial PRIMARY KEY,
     site_id     text   NOT NULL,
     received_ms bigint NOT NULL,
     payload     bytea  NOT NULL
   );
   CREATE INDEX payloads_received ON payloads (received_ms);
   CREATE TABLE counters (
     name  text   NOT NULL,
     key   text   NOT NULL,
     value bigint NOT NULL,
     PRIMARY KEY (name, key)
   );
   CREATE TABLE resend_asks (
     site_id  text   NOT NULL,
     from_seq bigint NOT NULL,
     to_seq   bigint NOT NULL,
     asked_ms bigint NOT NULL,
     PRIMARY KEY (site_id, from_seq, to_seq)
   );
   CREATE INDEX resend_asks_time ON resend_asks (asked_ms);`,
  // 3: site health and alerts (docs/storage.md, "Health and alerts"): the site registry, each
  // site's health and alert state, incidents, the transitions' history, the alert outbox, the
  // operator's silences and maintenance windows, and acknowledgements asked for by a command.
  `CREATE TABLE registry (
     site_id               text PRIMARY KEY,
     name                  text NOT NULL,
     kabupaten_code        text NOT NULL,
     kabupaten             text NOT NULL,
     kecamatan_code        text NOT NULL,
     kecamatan             text NOT NULL,
     desa_code             text NOT NULL,
     desa                  text NOT NULL,
     site_group            text NOT NULL,
     latitude              double precision NOT NULL,
     longitude             double precision NOT NULL,
     lvd_volts             double precision,
     sample_interval_sec   bigint,
     delivery_interval_sec bigint
   );
   CREATE TABLE health_sites (site_id text PRIMARY KEY, state text NOT NULL);
   CREATE TABLE health_meta (key text PRIMARY KEY, value text NOT NULL);
   CREATE TABLE alerts (
     key     text PRIMARY KEY,
     site_id text NOT NULL,
     kind    text NOT NULL,
     record  text NOT NULL
   );
   CREATE TABLE incidents (id text PRIMARY KEY, ends_at_ms bigint, record text NOT NULL);
   CREATE INDEX incidents_open ON incidents (ends_at_ms);
   CREATE TABLE health_transitions (
     id              bigserial PRIMARY KEY,
     site_id         text,
     kind            text    NOT NULL,
     event           text    NOT NULL,
     at_ms           bigint NOT NULL,
     since_ms        bigint NOT NULL,
     cause           text    NOT NULL,
     detail          text    NOT NULL,
     previous_cause  text,
     previous_detail text,
     episode_id      text
   );
   CREATE INDEX health_transitions_site ON health_transitions (site_id, at_ms);
   CREATE TABLE alert_outbox (
     id              bigserial PRIMARY KEY,
     sink            text    NOT NULL,
     notification_id text    NOT NULL,
     key             text    NOT NULL,
     notification    text    NOT NULL,
     created_ms      bigint NOT NULL,
     attempts        bigint NOT NULL DEFAULT 0,
     next_attempt_ms bigint NOT NULL,
     last_error      text,
     given_up        boolean NOT NULL DEFAULT false,
     UNIQUE (sink, notification_id)
   );
   CREATE INDEX alert_outbox_waiting ON alert_outbox (sink, given_up, key, id);
   CREATE TABLE alert_controls (
     id      text PRIMARY KEY,
     type    text    NOT NULL,
     ends_ms bigint NOT NULL,
     record  text    NOT NULL
   );
   CREATE TABLE alert_acks (
     key          text PRIMARY KEY,
     by_name      text    NOT NULL,
     note         text    NOT NULL,
     requested_ms bigint NOT NULL
   );`,
  // 4: SQLite's migration 6 (reports): throughput facts, latency buckets and throughput tests per
  // roll-up; days still holding samples rolled up again.
  `ALTER TABLE samples
     ADD COLUMN throughput_down_bits_per_sec double precision,
     ADD COLUMN throughput_up_bits_per_sec   double precision;
   ALTER TABLE rollups
     ADD COLUMN latency_histogram text NOT NULL DEFAULT '{}',
     ADD COLUMN throughput        text NOT NULL DEFAULT '[]';
   INSERT INTO dirty_days (site_id, day_ms) SELECT site_id, bucket_ms FROM rollups WHERE grain = 'day'
     ON CONFLICT DO NOTHING;`,
  // 5: SQLite's migration 7: reports' daily facts per site and local day, per time zone asked for.
  `CREATE TABLE report_zones (time_zone text PRIMARY KEY);
   CREATE TABLE report_days (
     time_zone                 text    NOT NULL,
     site_id                   text    NOT NULL,
     day_ms                    bigint  NOT NULL,
     online_minutes            integer NOT NULL,
     active_minutes            integer NOT NULL,
     client_rx_bytes           bigint  NOT NULL,
     client_tx_bytes           bigint  NOT NULL,
     clients_max               integer,
     received                  integer NOT NULL,
     expected                  integer NOT NULL,
     active_by_hour            text    NOT NULL,
     battery_known             boolean NOT NULL,
     battery_min_morning_volts double precision,
     battery_min_evening_volts double precision,
     latency_internet          text,
     latency_noc               text,
     throughput                text    NOT NULL,
     PRIMARY KEY (time_zone, site_id, day_ms)
   );`,
  // 6: the health evaluator's feed (docs/scaling.md, "One health evaluator"): each payload names
  // the transaction that stored it, so the one evaluator reads every collector's batches in an
  // order no later commit can get behind. A default, not a rewrite: payloads stored before have none.
  // Statuses it reads by when they were received (a status changes the column, a batch does not).
  `ALTER TABLE payloads ADD COLUMN xact xid8;
   ALTER TABLE payloads ALTER COLUMN xact SET DEFAULT pg_current_xact_id();
   CREATE INDEX payloads_feed ON payloads (xact, id);
   CREATE INDEX sites_status_received ON sites (status_received_ms);`,
  // 7: SQLite's migration 8: the HTTP API's audit log.
  `CREATE TABLE audit_log (
     id        bigserial PRIMARY KEY,
     at_ms     bigint  NOT NULL,
     user_name text    NOT NULL,
     role      text    NOT NULL,
     action    text    NOT NULL,
     target    text    NOT NULL,
     ok        boolean NOT NULL,
     detail    text    NOT NULL
   );`,
  // 8: SQLite's migration 9: solar power as a sample fact and, per roll-up, its mean; rows stored
  // before hold null.
  `ALTER TABLE samples ADD COLUMN solar_watts double precision;
   ALTER TABLE rollups ADD COLUMN solar_mean_watts double precision;`,
  // 9: SQLite's migration 10: a decommissioned site stays in the registry, marked with when it
  // was taken out of service; null while in service.
  'ALTER TABLE registry ADD COLUMN decommissioned_ms bigint;',
];

/** Data steps by migration number. */
export const pgDataSteps: Readonly<Record<number, (db: pg.PoolClient) => Promise<void>>> = {
  2: backfillLatestFacts,
};

/** Migration 2: each site's latest sample gets the new fact columns, then the site row drops what it duplicated. */
async function backfillLatestFacts(db: pg.PoolClient): Promise<void> {
  const latest = await db.query<LegacyLatest>(
    `SELECT s.site_id, s.boot_id, s.seq, s.probes, NULL::bytea AS payload
     FROM sites JOIN samples s
       ON s.site_id = sites.site_id AND s.seq = sites.last_seq AND s.boot_id = sites.last_boot_id`,
  );
  const columns = NEW_FACT_KEYS.map((k) => FACT_COLUMNS.find((f) => f.key === k)?.column);
  for (const row of latest.rows) {
    const facts = legacyFacts(row);
    if (facts === null) continue;
    await db.query(
      `UPDATE samples SET ${columns.map((c, i) => `${c} = $${i + 4}`).join(', ')}
       WHERE site_id = $1 AND seq = $2 AND boot_id = $3`,
      [row.site_id, row.seq, row.boot_id, ...NEW_FACT_KEYS.map((k) => facts[k])],
    );
  }
  await db.query(
    `ALTER TABLE sites DROP COLUMN last_probes, DROP COLUMN last_wall_ms, DROP COLUMN last_clock_synced,
       DROP COLUMN last_uptime_ms`,
  );
}
