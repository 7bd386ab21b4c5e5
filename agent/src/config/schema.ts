import {
  DEFAULT_TOPIC_ROOT,
  type EnvMap,
  latencyMethodSchema,
  latencyRoleSchema,
  logLevels,
  siteIdSchema,
  topicRootSchema,
} from '@pantau/shared';
import { z } from 'zod';

/**
 * Intervals must divide the minute or the hour so that every site samples on the same wall-clock
 * boundaries, which makes fleet views line up.
 */
export const intervalSecSchema = z
  .int()
  .min(1)
  .max(3600)
  .refine((s) => (s <= 60 ? 60 % s === 0 : s % 60 === 0 && 3600 % s === 0), {
    message: 'an interval must divide 60 s (1, 2, 5, 10, 15, 20, 30, 60) or 3600 s (120, 300, 600, 900, ...)',
  });

export const mqttUrlSchema = z
  .string()
  .regex(/^(mqtts?|tcp|ssl|wss?):\/\/[^\s/]+/, 'a broker URL looks like mqtt://host:1883 or mqtts://host:8883');

const latencyTargetConfigSchema = z
  .object({
    role: latencyRoleSchema,
    host: z.string().min(1).max(253),
    /** `icmp` echoes (the system ping, the default), or `tcp` connects to `port` where ICMP is blocked. */
    method: latencyMethodSchema.optional(),
    port: z.int().min(1).max(65_535).optional(),
    /** Echo requests (or connection attempts) per sample. */
    count: z.int().min(1).max(20).default(3),
    /** How long to wait for each reply (or each connection). */
    timeoutMs: z.int().min(100).max(10_000).default(2000),
    /** Probe this target every Nth sample only; default: the role's rate (`everySamplesByRole`). */
    everySamples: z.int().min(1).max(1440).optional(),
  })
  .refine((t) => t.method !== 'tcp' || t.port !== undefined, {
    message: 'a target with method tcp needs a port',
    path: ['port'],
  });
export type LatencyTargetConfig = z.infer<typeof latencyTargetConfigSchema>;

const everySamplesSchema = z.int().min(1).max(1440).default(1);

/** An active throughput test against an HTTP endpoint (the collector serves one at /speedtest). */
const throughputConfigSchema = z
  .object({
    /** Default: on when an endpoint is configured. */
    enabled: z.boolean().optional(),
    /** Base URL; the test GETs `<endpoint>/down?bytes=N` and POSTs to `<endpoint>/up`. */
    endpoint: z
      .url({ protocol: /^https?$/, error: 'an endpoint looks like http://noc.example:8080/speedtest' })
      .optional(),
    /**
     * At most this much in each direction; the budget check reserves twice this (down + up). One
     * test a day at the default costs about 0.64 GB a month (2 × 10 MB × 30 days + 6 % headers).
     */
    maxBytes: z
      .int()
      .min(64 * 1024)
      .max(1024 * 1024 * 1024)
      .default(10_000_000),
    /** Each direction stops after this long, with what it measured so far. */
    maxSeconds: z.int().min(1).max(120).default(15),
    /** No response or no data for this long is `http_timeout`. */
    stallTimeoutMs: z.int().min(500).max(60_000).default(5000),
    /** A node-cron expression (seconds field first) overriding the night window. */
    cron: z.string().min(1).max(100).optional(),
    /** Local hours [fromHour, toHour): the test runs once a day at a minute drawn at start. */
    nightWindow: z
      .object({ fromHour: z.int().min(0).max(23).default(1), toHour: z.int().min(0).max(23).default(5) })
      .refine((w) => w.fromHour !== w.toHour, { message: 'the night window needs fromHour ≠ toHour' })
      .prefault({}),
    /** Skip the test (`skipped_battery_low`) when the battery reads below this. Unset: never. */
    minBatteryVolts: z.number().min(0).max(100).optional(),
  })
  .refine((t) => t.enabled !== true || t.endpoint !== undefined, {
    message: 'an enabled throughput test needs an endpoint',
    path: ['endpoint'],
  })
  .transform((t) => ({ ...t, enabled: t.enabled ?? t.endpoint !== undefined }));
export type ThroughputConfig = z.infer<typeof throughputConfigSchema>;

export const agentConfigSchema = z.object({
  siteId: siteIdSchema,
  topicRoot: topicRootSchema.default(DEFAULT_TOPIC_ROOT),
  /** Where the agent keeps its state (sequence counter, later the spool). */
  dataDir: z.string().min(1).default('/var/lib/pantau'),
  mqtt: z
    .object({
      url: mqttUrlSchema.default('mqtt://127.0.0.1:1883'),
      username: z.string().min(1).optional(),
      password: z.string().min(1).optional(),
      keepaliveSec: z.int().min(5).max(65_535).default(60),
      connectTimeoutMs: z.int().min(1000).max(120_000).default(30_000),
      reconnectMs: z.int().min(100).max(600_000).default(5000),
    })
    .prefault({}),
  sample: z
    .object({
      intervalSec: intervalSecSchema.default(60),
      /** A probe that takes longer yields its section with error `probe_timeout`. */
      probeTimeoutMs: z.int().min(100).max(120_000).default(15_000),
    })
    .prefault({}),
  probes: z
    .object({
      latency: z
        .object({
          enabled: z.boolean().default(true),
          targets: z.array(latencyTargetConfigSchema).max(16).default([]),
          /** Without a gateway target, probe the default route's gateway (from /proc/net/route). */
          detectGateway: z.boolean().default(true),
          /** Each role is probed every Nth sample unless its target says otherwise. */
          everySamplesByRole: z
            .object({
              gateway: everySamplesSchema,
              terminal: everySamplesSchema,
              internet: everySamplesSchema,
              noc: everySamplesSchema,
            })
            .prefault({}),
        })
        .prefault({}),
      uptime: z.object({ enabled: z.boolean().default(true) }).prefault({}),
      throughput: throughputConfigSchema.prefault({}),
    })
    .prefault({}),
  /** The site's monthly data budget: probes beyond the LAN and the speed test count against it. */
  budget: z
    .object({
      /** 0 = unlimited. */
      monthlyBytes: z.int().min(0).default(0),
    })
    .prefault({}),
  clock: z
    .object({
      /** systemd-timesyncd creates this file once the clock is synchronised. */
      syncedFile: z.string().min(1).default('/run/systemd/timesync/synchronized'),
    })
    .prefault({}),
  /** In-memory queue of samples not yet acknowledged by the broker; the oldest go first. */
  outbox: z.object({ maxSamples: z.int().min(1).max(1_000_000).default(10_080) }).prefault({}),
  log: z.object({ level: z.enum(logLevels).default('info') }).prefault({}),
});
export type AgentConfig = z.infer<typeof agentConfigSchema>;

/** Environment variables, each documented in the README; they override the config file. */
export const agentEnvMap: EnvMap = {
  PANTAU_SITE_ID: { path: ['siteId'], type: 'string' },
  PANTAU_TOPIC_ROOT: { path: ['topicRoot'], type: 'string' },
  PANTAU_DATA_DIR: { path: ['dataDir'], type: 'string' },
  PANTAU_MQTT_URL: { path: ['mqtt', 'url'], type: 'string' },
  PANTAU_MQTT_USERNAME: { path: ['mqtt', 'username'], type: 'string' },
  PANTAU_MQTT_PASSWORD: { path: ['mqtt', 'password'], type: 'string' },
  PANTAU_MQTT_KEEPALIVE_SEC: { path: ['mqtt', 'keepaliveSec'], type: 'number' },
  PANTAU_SAMPLE_INTERVAL_SEC: { path: ['sample', 'intervalSec'], type: 'number' },
  PANTAU_LATENCY_TARGETS: { path: ['probes', 'latency', 'targets'], type: 'json' },
  PANTAU_LATENCY_DETECT_GATEWAY: { path: ['probes', 'latency', 'detectGateway'], type: 'boolean' },
  PANTAU_BUDGET_MONTHLY_BYTES: { path: ['budget', 'monthlyBytes'], type: 'number' },
  PANTAU_THROUGHPUT_ENDPOINT: { path: ['probes', 'throughput', 'endpoint'], type: 'string' },
  PANTAU_THROUGHPUT_ENABLED: { path: ['probes', 'throughput', 'enabled'], type: 'boolean' },
  PANTAU_LOG_LEVEL: { path: ['log', 'level'], type: 'string' },
};
