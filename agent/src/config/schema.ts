import { DEFAULT_TOPIC_ROOT, type EnvMap, logLevels, siteIdSchema, topicRootSchema } from '@pantau/shared';
import { z } from 'zod';
import { defaultProbeTimeoutMs, refuseContradictions } from './contradictions.js';
import { powerConfigSchema } from './power-schema.js';
import {
  clientsConfigSchema,
  everySamplesSchema,
  hostProbeConfigSchema,
  latencyTargetConfigSchema,
  type StarlinkDishConfig,
  terminalProbeConfigSchema,
  throughputConfigSchema,
  uptimeConfigSchema,
  usageConfigSchema,
} from './probe-schemas.js';

export type {
  ClientsConfig,
  LatencyTargetConfig,
  StarlinkDishConfig,
  ThroughputConfig,
  UptimeConfig,
  UsageConfig,
} from './probe-schemas.js';

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

export const agentConfigSchema = z
  .strictObject({
    siteId: siteIdSchema,
    topicRoot: topicRootSchema.default(DEFAULT_TOPIC_ROOT),
    /** Where the agent keeps its state: the spool, the connection epoch, the clean-shutdown marker. */
    dataDir: z.string().min(1).default('/var/lib/pantau'),
    mqtt: z
      .strictObject({
        url: mqttUrlSchema.default('mqtt://127.0.0.1:1883'),
        username: z.string().min(1).optional(),
        password: z.string().min(1).optional(),
        /**
         * The NOC's CA certificate (PEM) for an `mqtts://` broker: its certificate must chain to this CA
         * and no other, and name the host of `url`. Unset: the system's CAs (a public certificate).
         */
        caFile: z.string().min(1).optional(),
        /**
         * Unset: matched to the delivery interval (interval + 30 s), so the batches themselves keep the
         * connection alive and no PINGREQ is ever sent; the broker declares the site gone after 1.5 x this.
         */
        keepaliveSec: z.int().min(1).max(65_535).optional(),
        connectTimeoutMs: z.int().min(1000).max(120_000).default(30_000),
        /** Reconnect waits are full jitter: random in [0, min(backoffMaxMs, backoffMinMs * 2^attempt)]. */
        backoffMinMs: z.int().min(10).max(600_000).default(1000),
        backoffMaxMs: z.int().min(10).max(3_600_000).default(300_000),
        /**
         * The longest wait while the broker cannot be reached or drops the site (not when it refuses
         * it): a broker back and stable sees the site within this (docs/delivery.md).
         */
        reconnectWithinMs: z.int().min(10).max(3_600_000).default(60_000),
        /** The first connection after start waits a random time up to this (a fleet boots together). */
        startDelayMaxMs: z.int().min(0).max(3_600_000).default(30_000),
        /**
         * `auto`: MQTT 5, and 3.1.1 from the broker's first "unacceptable protocol version". `3.1.1`
         * from the start, for a broker that drops an MQTT 5 CONNECT without answering (RabbitMQ's
         * MQTT plugin before 3.13: docs/scaling.md).
         */
        protocol: z.enum(['auto', '3.1.1']).default('auto'),
      })
      .prefault({}),
    /** How samples travel: how often, how compressed, how fast a backlog drains. */
    delivery: z
      .strictObject({
        /** `standard` delivers every 300 s, `metered` every 900 s; `intervalSec` overrides either. */
        profile: z.enum(['standard', 'metered']).default('standard'),
        intervalSec: intervalSecSchema.optional(),
        /** Wire encoding of telemetry batches (docs/protocol.md); columnar measured smallest (pnpm bench:wire). */
        encoding: z.enum(['columnar', 'brotli', 'deflate', 'json']).default('columnar'),
        maxBatchSamples: z.int().min(1).max(1440).default(120),
        /** Backlog after an outage drains at most this fast (bytes of payload per second). */
        backfillBytesPerSec: z.int().min(100).max(100_000_000).default(4096),
        /** On a clean stop, how long to keep delivering unsent samples before giving up. */
        flushOnStopMs: z.int().min(0).max(120_000).default(5000),
      })
      .prefault({}),
    /** The disk spool: every sample is written here (fdatasync) before it counts as taken. */
    spool: z
      .strictObject({
        /** Samples kept, sent or not: 30 days of 1-minute samples. Beyond it the oldest go, counted. */
        maxSamples: z.int().min(10).max(1_000_000).default(43_200),
        /** Samples per segment file; the oldest file is deleted whole when the spool is full. */
        segmentSamples: z.int().min(1).max(100_000).default(1440),
      })
      .prefault({}),
    sample: z
      .strictObject({
        intervalSec: intervalSecSchema.default(60),
        /**
         * A probe that takes longer yields its section with error `probe_timeout`. Below the interval;
         * unset: 15 s, or three quarters of a shorter interval.
         */
        probeTimeoutMs: z.int().min(100).max(120_000).optional(),
      })
      .prefault({})
      .transform((s) => ({ ...s, probeTimeoutMs: s.probeTimeoutMs ?? defaultProbeTimeoutMs(s.intervalSec) })),
    probes: z
      .strictObject({
        latency: z
          .strictObject({
            enabled: z.boolean().default(true),
            targets: z.array(latencyTargetConfigSchema).max(16).default([]),
            /** Without a gateway target, probe the default route's gateway (from /proc/net/route). */
            detectGateway: z.boolean().default(true),
            /** Each role is probed every Nth sample unless its target says otherwise. */
            everySamplesByRole: z
              .strictObject({
                gateway: everySamplesSchema,
                terminal: everySamplesSchema,
                internet: everySamplesSchema,
                noc: everySamplesSchema,
              })
              .prefault({}),
          })
          .prefault({}),
        uptime: uptimeConfigSchema.prefault({}),
        power: powerConfigSchema.prefault({}),
        usage: usageConfigSchema.prefault({}),
        clients: clientsConfigSchema.prefault({}),
        throughput: throughputConfigSchema.prefault({}),
        terminal: terminalProbeConfigSchema.prefault({ kind: 'none' }),
        host: hostProbeConfigSchema.prefault({}),
      })
      .prefault({}),
    /** The site's monthly data budget: probes beyond the LAN and the speed test count against it. */
    budget: z
      .strictObject({
        /** 0 = unlimited. */
        monthlyBytes: z.int().min(0).default(0),
      })
      .prefault({}),
    clock: z
      .strictObject({
        /** systemd-timesyncd creates this file once the clock is synchronised. */
        syncedFile: z.string().min(1).default('/run/systemd/timesync/synchronized'),
      })
      .prefault({}),
    log: z.strictObject({ level: z.enum(logLevels).default('info') }).prefault({}),
  })
  .superRefine(refuseContradictions);
export type AgentConfig = z.infer<typeof agentConfigSchema>;

/** The site's Starlink dish: the terminal probe's, else the uptime probe's; null when none is set. */
export function starlinkDish(probes: AgentConfig['probes']): StarlinkDishConfig | null {
  if (probes.terminal.kind === 'starlink') return probes.terminal;
  return probes.uptime.terminal.kind === 'starlink' ? probes.uptime.terminal : null;
}

const PROFILE_INTERVAL_SEC = { standard: 300, metered: 900 } as const;

/** Seconds between deliveries: the explicit interval, else the profile's, never below sampling. */
export function deliveryIntervalSec(config: AgentConfig): number {
  const wanted = config.delivery.intervalSec ?? PROFILE_INTERVAL_SEC[config.delivery.profile];
  return Math.max(wanted, config.sample.intervalSec);
}

/** The keepalive: as configured, else the delivery interval plus 30 s (a sample may take 15 s). */
export function keepaliveSec(config: AgentConfig): number {
  return config.mqtt.keepaliveSec ?? Math.min(65_535, deliveryIntervalSec(config) + 30);
}

/** Environment variables, each documented in the README; they override the config file. */
export const agentEnvMap: EnvMap = {
  PANTAU_SITE_ID: { path: ['siteId'], type: 'string' },
  PANTAU_TOPIC_ROOT: { path: ['topicRoot'], type: 'string' },
  PANTAU_DATA_DIR: { path: ['dataDir'], type: 'string' },
  PANTAU_MQTT_URL: { path: ['mqtt', 'url'], type: 'string' },
  PANTAU_MQTT_USERNAME: { path: ['mqtt', 'username'], type: 'string' },
  PANTAU_MQTT_PASSWORD: { path: ['mqtt', 'password'], type: 'string' },
  PANTAU_MQTT_CA_FILE: { path: ['mqtt', 'caFile'], type: 'string' },
  PANTAU_MQTT_KEEPALIVE_SEC: { path: ['mqtt', 'keepaliveSec'], type: 'number' },
  PANTAU_MQTT_BACKOFF_MIN_MS: { path: ['mqtt', 'backoffMinMs'], type: 'number' },
  PANTAU_MQTT_BACKOFF_MAX_MS: { path: ['mqtt', 'backoffMaxMs'], type: 'number' },
  PANTAU_MQTT_START_DELAY_MAX_MS: { path: ['mqtt', 'startDelayMaxMs'], type: 'number' },
  PANTAU_MQTT_PROTOCOL: { path: ['mqtt', 'protocol'], type: 'string' },
  PANTAU_MQTT_RECONNECT_WITHIN_MS: { path: ['mqtt', 'reconnectWithinMs'], type: 'number' },
  PANTAU_SAMPLE_INTERVAL_SEC: { path: ['sample', 'intervalSec'], type: 'number' },
  PANTAU_DELIVERY_PROFILE: { path: ['delivery', 'profile'], type: 'string' },
  PANTAU_DELIVERY_INTERVAL_SEC: { path: ['delivery', 'intervalSec'], type: 'number' },
  PANTAU_DELIVERY_ENCODING: { path: ['delivery', 'encoding'], type: 'string' },
  PANTAU_BACKFILL_BYTES_PER_SEC: { path: ['delivery', 'backfillBytesPerSec'], type: 'number' },
  PANTAU_SPOOL_MAX_SAMPLES: { path: ['spool', 'maxSamples'], type: 'number' },
  PANTAU_LATENCY_TARGETS: { path: ['probes', 'latency', 'targets'], type: 'json' },
  PANTAU_USAGE_SOURCE: { path: ['probes', 'usage', 'source'], type: 'string' },
  PANTAU_USAGE_INTERFACE: { path: ['probes', 'usage', 'interface'], type: 'string' },
  PANTAU_UPTIME_TERMINAL_KIND: { path: ['probes', 'uptime', 'terminal', 'kind'], type: 'string' },
  PANTAU_TERMINAL_KIND: { path: ['probes', 'terminal', 'kind'], type: 'string' },
  PANTAU_HOST_ENABLED: { path: ['probes', 'host', 'enabled'], type: 'boolean' },
  PANTAU_CLIENTS_SOURCE: { path: ['probes', 'clients', 'source'], type: 'string' },
  PANTAU_LATENCY_DETECT_GATEWAY: { path: ['probes', 'latency', 'detectGateway'], type: 'boolean' },
  PANTAU_BUDGET_MONTHLY_BYTES: { path: ['budget', 'monthlyBytes'], type: 'number' },
  PANTAU_THROUGHPUT_ENDPOINT: { path: ['probes', 'throughput', 'endpoint'], type: 'string' },
  PANTAU_THROUGHPUT_ENABLED: { path: ['probes', 'throughput', 'enabled'], type: 'boolean' },
  PANTAU_LOG_LEVEL: { path: ['log', 'level'], type: 'string' },
};
