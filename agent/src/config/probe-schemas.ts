import { latencyMethodSchema, latencyRoleSchema } from '@pantau/shared';
import { z } from 'zod';

/** The probes' sections of the agent's config (README, "The agent"). */
export const latencyTargetConfigSchema = z
  .strictObject({
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
const snmpTargetConfigSchema = z.strictObject({
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

export const usageConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    /** `starlink`: the dish's own history (needs the terminal probe on a dish). */
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

export const clientsConfigSchema = z
  .strictObject({
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
const starlinkDishConfigSchema = z.strictObject({
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
  z.strictObject({ kind: z.literal('none') }),
  starlinkDishConfigSchema,
]);

/** The terminal probe: the dish's status and history every sample; on when a dish is configured. */
export const terminalProbeConfigSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('none'), enabled: z.literal(false).optional() }),
    starlinkDishConfigSchema.extend({ enabled: z.boolean().optional() }),
  ])
  .transform((t) => ({ ...t, enabled: t.enabled ?? t.kind === 'starlink' }));

/** The Pi's own health every sample, its inventory at start and daily. */
export const hostProbeConfigSchema = z.strictObject({ enabled: z.boolean().default(true) });

export const uptimeConfigSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** The site router's sysUpTime; when absent, the usage or clients probe's SNMP router, if any. */
  router: snmpTargetConfigSchema.optional(),
  terminal: terminalConfigSchema.prefault({ kind: 'none' }),
});
export type UptimeConfig = z.infer<typeof uptimeConfigSchema>;

export const everySamplesSchema = z.int().min(1).max(1440).default(1);

/** An active throughput test against an HTTP endpoint (the collector serves one at /speedtest). */
export const throughputConfigSchema = z
  .strictObject({
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
      .strictObject({ fromHour: z.int().min(0).max(23).default(1), toHour: z.int().min(0).max(23).default(5) })
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
