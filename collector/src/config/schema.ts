import { DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_TOPIC_ROOT, type EnvMap, logLevels, topicRootSchema } from '@pantau/shared';
import { z } from 'zod';
import { healthConfigSchema } from '../health/config.js';
import { accessConfigSchema } from '../http/access/access-config.js';
import { provisionConfigSchema } from '../provision/config.js';
import { reportsConfigSchema } from '../reports/config.js';
import { refuseContradictions } from './contradictions.js';

export const collectorConfigSchema = z
  .strictObject({
    topicRoot: topicRootSchema.default(DEFAULT_TOPIC_ROOT),
    mqtt: z
      .strictObject({
        /** The production broker (Mosquitto). Leave unset to run the embedded broker instead. */
        url: z
          .string()
          .regex(/^(mqtts?|tcp|ssl|wss?):\/\/[^\s/]+/, 'a broker URL looks like mqtt://host:1883 or mqtts://host:8883')
          .optional(),
        username: z.string().min(1).optional(),
        password: z.string().min(1).optional(),
        /** Stable, so the broker keeps this collector's session (and queued messages) across restarts. */
        clientId: z.string().min(1).max(64).default('pantau-collector'),
        keepaliveSec: z.int().min(5).max(65_535).default(30),
        reconnectMs: z.int().min(100).max(600_000).default(2000),
        /**
         * Subscribe to telemetry as `$share/<group>/...` so several collectors (or connections)
         * split the load; each message goes to one of them.
         */
        shareGroup: z
          .string()
          .regex(/^[A-Za-z0-9._-]{1,64}$/, 'a share group is 1-64 characters of A-Z, a-z, 0-9, ".", "_" or "-"')
          .optional(),
      })
      .prefault({}),
    /** Where messages come from: `mqtt` (a broker's subscription), or `amqp` (a RabbitMQ cluster's queue). */
    input: z.strictObject({ kind: z.enum(['mqtt', 'amqp']).default('mqtt') }).prefault({}),
    /** The RabbitMQ cluster, with `input.kind: amqp` (docs/scaling.md). */
    amqp: z
      .strictObject({
        /** Every node's AMQP URL; a lost connection moves on to the next. */
        urls: z
          .array(z.string().regex(/^amqps?:\/\/[^\s/]+/, 'an AMQP URL looks like amqp://user:password@host:5672'))
          .min(1)
          .max(32)
          .optional(),
        /** The quorum queue every collector consumes from, bound to `amq.topic`; created if missing. */
        queue: z
          .string()
          .regex(/^[A-Za-z0-9._-]{1,200}$/, 'a queue name is 1-200 characters of A-Z, a-z, 0-9, ".", "_" or "-"')
          .default('pantau.ingest'),
        /** Unacknowledged messages per collector: how many ingest may commit in one group. */
        prefetch: z.int().min(1).max(10_000).default(64),
        reconnectMs: z.int().min(100).max(600_000).default(2000),
      })
      .prefault({}),
    /** Used only when `mqtt.url` is unset. */
    embeddedBroker: z
      .strictObject({
        host: z.string().min(1).default('127.0.0.1'),
        port: z.int().min(0).max(65_535).default(1883),
      })
      .prefault({}),
    store: z
      .strictObject({
        sqlitePath: z.string().min(1).default('pantau.sqlite'),
        /**
         * Run SQLite on a worker thread, so that its inserts, commits, roll-ups and retention use
         * another core than MQTT and decoding (docs/storage.md, "Performance"). Default: when
         * `ingest.connections` > 1; with one connection each message would wait for a round trip to
         * the worker with nothing to overlap it (bench:ingest: ~46,000 samples/s on the main thread,
         * ~30,000 on the worker).
         */
        sqliteWorker: z.boolean().optional(),
        /** When set, PostgreSQL is the store instead of SQLite (fleets, several collectors). */
        postgresUrl: z
          .string()
          .regex(/^postgres(ql)?:\/\//, 'a PostgreSQL URL looks like postgres://user:password@host:5432/pantau')
          .optional(),
        postgresPoolSize: z.int().min(1).max(100).default(8),
        /**
         * With PostgreSQL, exactly one collector evaluates health and sends alerts: the holder of
         * a lease (docs/scaling.md, "One health evaluator"). Ignored with SQLite.
         */
        lease: z
          .strictObject({
            /** Off: every collector evaluates (only right for a single collector). */
            enabled: z.boolean().default(true),
            /** A leader silent this long (paused, cut off, killed) loses the lease to another. */
            ttlMs: z.int().min(1000).max(600_000).default(15_000),
            /** How often a follower tries the lease and the leader proves it alive; at most half of ttlMs. */
            renewMs: z.int().min(200).max(300_000).default(3000),
            /** How often the leader reads the batches and statuses every collector stored. */
            feedPollMs: z.int().min(100).max(60_000).default(1000),
          })
          .refine((l) => l.ttlMs >= 2 * l.renewMs, {
            message: 'ttlMs must be at least twice renewMs',
            path: ['ttlMs'],
          })
          .prefault({}),
      })
      .prefault({}),
    retention: z
      .strictObject({
        /** Raw samples older than this are deleted; hourly and daily roll-ups are kept. */
        rawDays: z.int().min(1).max(3650).default(90),
        pruneIntervalSec: z.int().min(60).max(86_400).default(3600),
      })
      .prefault({}),
    rollups: z
      .strictObject({
        /** How often the site-days touched by new or late data are recomputed. */
        intervalSec: z.int().min(1).max(3600).default(10),
        /** Site-days recomputed per run at most. */
        maxDaysPerRun: z.int().min(1).max(1_000_000).default(2000),
      })
      .prefault({}),
    gaps: z
      .strictObject({
        enabled: z.boolean().default(true),
        scanIntervalSec: z.int().min(1).max(86_400).default(60),
        graceSec: z
          .int()
          .min(0)
          .max(7 * 86_400)
          .default(600),
        retrySec: z
          .int()
          .min(1)
          .max(7 * 86_400)
          .default(1800),
        maxAttempts: z.int().min(1).max(100).default(3),
        maxSitesPerScan: z.int().min(1).max(1_000_000).default(5000),
        maxTrackedSites: z.int().min(1).max(10_000_000).default(200_000),
      })
      .prefault({}),
    ingest: z
      .strictObject({
        maxPayloadBytes: z
          .int()
          .min(1024)
          .max(64 * 1024 * 1024)
          .default(DEFAULT_MAX_PAYLOAD_BYTES),
        quarantineSize: z.int().min(1).max(100_000).default(1000),
        /**
         * MQTT connections sharing the telemetry subscription (needs a share group; defaults to the
         * client id). mqtt.js handles one PUBLISH per connection at a time, so more connections let
         * several messages be committed in one transaction.
         */
        connections: z.int().min(1).max(64).default(1),
        /**
         * Most batches committed in one transaction when connections > 1. Default: with SQLite on its
         * worker thread a quarter of the connections, so that while the worker commits one group the
         * main thread decodes the next (each connection has one message in flight, so a group of all
         * of them leaves the two threads taking turns: bench:ingest, 64 connections, groups of 64
         * ~57,000 samples/s, of 16 ~80,000); otherwise 64.
         */
        groupCommitMax: z.int().min(1).max(10_000).optional(),
      })
      .prefault({}),
    /** The collector's HTTP server: the API and dashboard (docs/api.md), and the sites' speed test. */
    http: z
      .strictObject({
        enabled: z.boolean().default(false),
        /** 0.0.0.0 to let sites reach it; the default keeps it on this machine. */
        host: z.string().min(1).default('127.0.0.1'),
        port: z.int().min(0).max(65_535).default(8080),
        speedtest: z
          .strictObject({
            /** A download asking for more is served this many bytes. */
            maxDownBytes: z.int().min(0).default(100_000_000),
            /** An upload body past this is refused (413). */
            maxUpBytes: z.int().min(0).default(100_000_000),
            /** Tests served at once; more are answered 503 busy. */
            maxConcurrent: z.int().min(1).max(1000).default(4),
          })
          .prefault({}),
        /** Who may use the API: users, tokens, and `closed` (the default) or `demo` (docs/api.md, "Access"). */
        access: accessConfigSchema,
        /** The dashboard's built files; absent: the ones built with the collector. */
        dashboardDir: z.string().min(1).optional(),
      })
      .prefault({}),
    log: z.strictObject({ level: z.enum(logLevels).default('info') }).prefault({}),
    /** Site health, alerts and their delivery (docs/health.md, "Configuration"). */
    health: healthConfigSchema.prefault({}),
    /** Planner reports and the open-data export (docs/reports.md). */
    reports: reportsConfigSchema,
    /** Sites' broker logins and agent configs (docs/provisioning.md). */
    provision: provisionConfigSchema,
  })
  .superRefine(refuseContradictions);
export type CollectorConfig = z.infer<typeof collectorConfigSchema>;

export const collectorEnvMap: EnvMap = {
  PANTAU_TOPIC_ROOT: { path: ['topicRoot'], type: 'string' },
  PANTAU_MQTT_URL: { path: ['mqtt', 'url'], type: 'string' },
  PANTAU_MQTT_USERNAME: { path: ['mqtt', 'username'], type: 'string' },
  PANTAU_MQTT_PASSWORD: { path: ['mqtt', 'password'], type: 'string' },
  PANTAU_MQTT_CLIENT_ID: { path: ['mqtt', 'clientId'], type: 'string' },
  PANTAU_INPUT_KIND: { path: ['input', 'kind'], type: 'string' },
  PANTAU_AMQP_URLS: { path: ['amqp', 'urls'], type: 'json' },
  PANTAU_BROKER_HOST: { path: ['embeddedBroker', 'host'], type: 'string' },
  PANTAU_BROKER_PORT: { path: ['embeddedBroker', 'port'], type: 'number' },
  PANTAU_SQLITE_PATH: { path: ['store', 'sqlitePath'], type: 'string' },
  PANTAU_POSTGRES_URL: { path: ['store', 'postgresUrl'], type: 'string' },
  PANTAU_SQLITE_WORKER: { path: ['store', 'sqliteWorker'], type: 'boolean' },
  PANTAU_LEASE_ENABLED: { path: ['store', 'lease', 'enabled'], type: 'boolean' },
  PANTAU_LEASE_TTL_MS: { path: ['store', 'lease', 'ttlMs'], type: 'number' },
  PANTAU_LEASE_RENEW_MS: { path: ['store', 'lease', 'renewMs'], type: 'number' },
  PANTAU_LEASE_FEED_POLL_MS: { path: ['store', 'lease', 'feedPollMs'], type: 'number' },
  PANTAU_MQTT_SHARE_GROUP: { path: ['mqtt', 'shareGroup'], type: 'string' },
  PANTAU_INGEST_CONNECTIONS: { path: ['ingest', 'connections'], type: 'number' },
  PANTAU_RETENTION_RAW_DAYS: { path: ['retention', 'rawDays'], type: 'number' },
  PANTAU_MAX_PAYLOAD_BYTES: { path: ['ingest', 'maxPayloadBytes'], type: 'number' },
  PANTAU_HTTP_ENABLED: { path: ['http', 'enabled'], type: 'boolean' },
  PANTAU_HTTP_HOST: { path: ['http', 'host'], type: 'string' },
  PANTAU_HTTP_PORT: { path: ['http', 'port'], type: 'number' },
  PANTAU_SPEEDTEST_MAX_DOWN_BYTES: { path: ['http', 'speedtest', 'maxDownBytes'], type: 'number' },
  PANTAU_SPEEDTEST_MAX_UP_BYTES: { path: ['http', 'speedtest', 'maxUpBytes'], type: 'number' },
  PANTAU_HTTP_ACCESS_MODE: { path: ['http', 'access', 'mode'], type: 'string' },
  PANTAU_LOG_LEVEL: { path: ['log', 'level'], type: 'string' },
  PANTAU_HEALTH_ENABLED: { path: ['health', 'enabled'], type: 'boolean' },
  PANTAU_WEBHOOK_URL: { path: ['health', 'delivery', 'webhook', 'url'], type: 'string' },
  PANTAU_WEBHOOK_SECRET: { path: ['health', 'delivery', 'webhook', 'secret'], type: 'string' },
  PANTAU_ALERTMANAGER_URL: { path: ['health', 'delivery', 'alertmanager', 'url'], type: 'string' },
};
