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
import { powerConfigSchema } from './power-schema.js';

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

/** Linux interface names (IFNAMSIZ: at most 15 characters, no slash); also keeps sysfs paths safe. */
const interfaceNameSchema = z.string().regex(/^[A-Za-z0-9_.:@-]{1,15}$/, 'an interface name such as eth0 or wlan0');

/** The site router, asked over SNMP v2c. */
const snmpTargetConfigSchema = z.object({
  host: z.string().min(1).max(253),
  port: z.int().min(1).max(65_535).default(161),
  community: z.string().min(1).max(64).default('public'),
  /** Bound on one SNMP call; there are no retries (the next cycle is the retry). */
  timeoutMs: z.int().min(100).max(10_000).default(2000),
});

const usageSnmpConfigSchema = snmpTargetConfigSchema.extend({
  /** The router's WAN interface; or give `ifName`, matched against ifName, then ifDescr. */
  ifIndex: z.int().min(1).max(2_147_483_647).optional(),
  ifName: z.string().min(1).max(64).optional(),
});

const clientsSnmpConfigSchema = snmpTargetConfigSchema.extend({
  /** Count only neighbours on this router interface (the LAN); all interfaces when absent. */
  lanIfIndex: z.int().min(1).max(2_147_483_647).optional(),
});

const usageConfigSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** `starlink`: the dish's own history (needs the terminal probe on a Starlink dish). */
    source: z.enum(['interface', 'snmp', 'starlink']).default('interface'),
    /** The Pi's interface to count; the default-route interface when absent. */
    interface: interfaceNameSchema.optional(),
    /** 32 for drivers and kernels whose counters wrap at 4 GiB. */
    counterBits: z.union([z.literal(32), z.literal(64)]).default(64),
    /** Sub-interval at which counters are read for the peak rate (and to catch 32-bit wraps). */
    peakSampleSec: z.int().min(1).max(300).default(5),
    /** The fastest the link can go; a counter step beyond it is treated as a reset, not traffic. */
    maxLinkBitsPerSec: z.number().min(1_000_000).max(100_000_000_000).default(1_000_000_000),
    snmp: usageSnmpConfigSchema.optional(),
  })
  .superRefine((usage, ctx) => {
    if (usage.source !== 'snmp') return;
    if (usage.snmp === undefined) {
      ctx.addIssue({ code: 'custom', path: ['snmp'], message: 'source snmp needs snmp.host and ifIndex or ifName' });
    } else if (usage.snmp.ifIndex === undefined && usage.snmp.ifName === undefined) {
      ctx.addIssue({ code: 'custom', path: ['snmp', 'ifIndex'], message: 'give snmp.ifIndex or snmp.ifName' });
    }
  });
export type UsageConfig = z.infer<typeof usageConfigSchema>;

const clientsConfigSchema = z
  .object({
    enabled: z.boolean().default(true),
    source: z.enum(['neighbour', 'dhcp', 'snmp']).default('neighbour'),
    /** The LAN interface whose neighbours are clients; all but loopback when absent. */
    interface: interfaceNameSchema.optional(),
    /** Also ask `ip -j neigh` (iproute2), which sees IPv6-only devices too. */
    ipNeigh: z.boolean().default(false),
    leasesFile: z.string().min(1).default('/var/lib/misc/dnsmasq.leases'),
    /** Devices remembered (as salted hashes) for the rolling hour; past this the oldest is dropped. */
    maxTracked: z.int().min(16).max(100_000).default(4096),
    snmp: clientsSnmpConfigSchema.optional(),
  })
  .superRefine((clients, ctx) => {
    if (clients.source === 'snmp' && clients.snmp === undefined) {
      ctx.addIssue({ code: 'custom', path: ['snmp'], message: 'source snmp needs snmp.host' });
    }
  });
export type ClientsConfig = z.infer<typeof clientsConfigSchema>;
const starlinkDishConfigSchema = z.object({
  kind: z.literal('starlink'),
  /** The dish answers on this fixed address whatever router is in front of it. */
  host: z.string().min(1).max(253).default('192.168.100.1'),
  port: z.int().min(1).max(65_535).default(9200),
  /** Bound on each call, connection included; no retries (the next cycle is the retry). */
  timeoutMs: z.int().min(100).max(10_000).default(2000),
});
export type StarlinkDishConfig = z.infer<typeof starlinkDishConfigSchema>;

/** Where the terminal's uptime comes from: nowhere (the default), or a Starlink dish's gRPC service. */
const terminalConfigSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  starlinkDishConfigSchema,
]);

/** The terminal probe: the dish's status and history every sample; on when a dish is configured. */
const terminalProbeConfigSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('none'), enabled: z.literal(false).optional() }),
    starlinkDishConfigSchema.extend({ enabled: z.boolean().optional() }),
  ])
  .transform((t) => ({ ...t, enabled: t.enabled ?? t.kind === 'starlink' }));

const uptimeConfigSchema = z.object({
  enabled: z.boolean().default(true),
  /** The site router's sysUpTime; when absent, the usage or clients probe's SNMP router, if any. */
  router: snmpTargetConfigSchema.optional(),
  terminal: terminalConfigSchema.prefault({ kind: 'none' }),
});
export type UptimeConfig = z.infer<typeof uptimeConfigSchema>;

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
  /** Where the agent keeps its state: the spool, the connection epoch, the clean-shutdown marker. */
  dataDir: z.string().min(1).default('/var/lib/pantau'),
  mqtt: z
    .object({
      url: mqttUrlSchema.default('mqtt://127.0.0.1:1883'),
      username: z.string().min(1).optional(),
      password: z.string().min(1).optional(),
      /**
       * Unset: matched to the delivery interval (interval + 30 s), so the batches themselves keep the
       * connection alive and no PINGREQ is ever sent; the broker declares the site gone after 1.5 x this.
       */
      keepaliveSec: z.int().min(1).max(65_535).optional(),
      connectTimeoutMs: z.int().min(1000).max(120_000).default(30_000),
      /** Reconnect waits are full jitter: random in [0, min(backoffMaxMs, backoffMinMs * 2^attempt)]. */
      backoffMinMs: z.int().min(10).max(600_000).default(1000),
      backoffMaxMs: z.int().min(10).max(3_600_000).default(300_000),
      /** The first connection after start waits a random time up to this (a fleet boots together). */
      startDelayMaxMs: z.int().min(0).max(3_600_000).default(30_000),
    })
    .prefault({}),
  /** How samples travel: how often, how compressed, how fast a backlog drains. */
  delivery: z
    .object({
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
    .object({
      /** Samples kept, sent or not: 30 days of 1-minute samples. Beyond it the oldest go, counted. */
      maxSamples: z.int().min(10).max(1_000_000).default(43_200),
      /** Samples per segment file; the oldest file is deleted whole when the spool is full. */
      segmentSamples: z.int().min(1).max(100_000).default(1440),
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
      uptime: uptimeConfigSchema.prefault({}),
      power: powerConfigSchema.prefault({}),
      usage: usageConfigSchema.prefault({}),
      clients: clientsConfigSchema.prefault({}),
      throughput: throughputConfigSchema.prefault({}),
      terminal: terminalProbeConfigSchema.prefault({ kind: 'none' }),
      /** The Pi's own health every sample, its inventory at start and daily. */
      host: z.object({ enabled: z.boolean().default(true) }).prefault({}),
    })
    .superRefine((probes, ctx) => {
      const { terminal, uptime, usage } = probes;
      if (usage.enabled && usage.source === 'starlink' && !(terminal.enabled && terminal.kind === 'starlink')) {
        ctx.addIssue({
          code: 'custom',
          path: ['usage', 'source'],
          message: 'source starlink needs the terminal probe on a dish (probes.terminal.kind: starlink)',
        });
      }
      const a = terminal.kind === 'starlink' ? terminal : null;
      const b = uptime.terminal.kind === 'starlink' ? uptime.terminal : null;
      if (a !== null && b !== null && (a.host !== b.host || a.port !== b.port)) {
        ctx.addIssue({
          code: 'custom',
          path: ['uptime', 'terminal', 'host'],
          message: 'probes.uptime.terminal and probes.terminal name two different dishes; a site has one',
        });
      }
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
  log: z.object({ level: z.enum(logLevels).default('info') }).prefault({}),
});
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
  PANTAU_MQTT_KEEPALIVE_SEC: { path: ['mqtt', 'keepaliveSec'], type: 'number' },
  PANTAU_MQTT_BACKOFF_MIN_MS: { path: ['mqtt', 'backoffMinMs'], type: 'number' },
  PANTAU_MQTT_BACKOFF_MAX_MS: { path: ['mqtt', 'backoffMaxMs'], type: 'number' },
  PANTAU_MQTT_START_DELAY_MAX_MS: { path: ['mqtt', 'startDelayMaxMs'], type: 'number' },
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
