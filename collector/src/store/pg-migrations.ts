/**
 * Numbered schema migrations for PostgreSQL; `schema_migrations` records which have run, and an
 * advisory lock lets several collectors start at once. Append only: a released migration is never
 * edited. Times are epoch milliseconds (bigint), as in SQLite, so both stores answer alike.
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
];
