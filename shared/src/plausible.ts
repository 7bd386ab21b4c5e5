import { MS_PER_DAY } from './units.js';

/**
 * What a figure can physically be. A value outside its range is a broken sensor, a driver bug or a
 * hostile sender, never a measurement: the collector stores null in its place and says why in the
 * section's `error` (docs/protocol.md, "Plausible ranges"). Ranges are wide on purpose: they catch
 * the impossible, not the unusual.
 */
export interface PlausibleRange {
  readonly min: number;
  readonly max: number;
  readonly unit: string;
  /** Where the bound comes from. */
  readonly why: string;
}

/** The fastest link the agent may be configured for (`probes.usage.maxLinkBitsPerSec`'s maximum). */
export const MAX_LINK_BITS_PER_SEC = 100_000_000_000;
/** Bytes one interval may carry per millisecond at that rate. */
export const MAX_LINK_BYTES_PER_MS = MAX_LINK_BITS_PER_SEC / 8 / 1000;
/** The longest usage interval: a day (an agent samples at least hourly; a longer gap is a baseline). */
export const MAX_USAGE_INTERVAL_MS = MS_PER_DAY;
/** The shortest interval byte counts are judged against: sub-second intervals still move some bytes. */
export const MIN_JUDGED_INTERVAL_MS = 1000;
/** Twenty years: no Pi, dish or router runs longer without a reboot. */
export const MAX_UPTIME_MS = 20 * 365 * MS_PER_DAY;
/** One minute: no echo or TCP connect waits longer (the agent's per-target timeout is at most 10 s). */
export const MAX_RTT_MS = 60_000;
/** A petabyte: no site's monthly data budget comes near it. */
const MAX_BUDGET_BYTES = 1e15;

const range = (min: number, max: number, unit: string, why: string): PlausibleRange => ({ min, max, unit, why });

const rtt = range(0, MAX_RTT_MS, 'ms', 'longer than any echo or connect timeout');
const uptime = range(0, MAX_UPTIME_MS, 'ms', 'twenty years');
const volts = range(0, 100, 'V', '12/24/48 V systems; a 48 V bank charges to ~58 V');
const intervalBytes = range(
  0,
  MAX_LINK_BYTES_PER_MS * MAX_USAGE_INTERVAL_MS,
  'bytes',
  'at most the fastest link for the interval (`intervalMs`, at least 1 s; a day when absent)',
);
const percent = range(0, 100, '%', 'a percentage');
const twentyYearsSec = range(0, MAX_UPTIME_MS / 1000, 's', 'twenty years');
const hostBytes = range(0, 2 ** 40, 'bytes', 'a tebibyte; a Pi has at most 16 GiB of memory');
const cardBytes = range(0, 1e15, 'bytes', 'a petabyte; a Pi boots from a card or disk of a few TB at most');
const load = range(0, 10_000, 'tasks', 'runnable tasks a minute on average; a Pi has 4 cores');
const linkBits = range(0, MAX_LINK_BITS_PER_SEC, 'bit/s', 'the fastest link the agent may be configured for');

/**
 * Every numeric figure of every probe section, by section and field. Fields not listed (text,
 * booleans, `source`) have no range. Byte counts of one usage interval are also held to the link
 * rate over `intervalMs` (see `plausibleMax`).
 */
export const PLAUSIBLE_RANGES = {
  latency: {
    sent: range(0, 1000, 'echoes', 'the agent sends at most 20 a sample'),
    received: range(0, 1000, 'echoes', 'no more than sent'),
    lossPct: range(0, 100, '%', 'a percentage'),
    rttMinMs: rtt,
    rttAvgMs: rtt,
    rttMaxMs: rtt,
    jitterMs: rtt,
  },
  uptime: {
    systemUptimeMs: uptime,
    agentUptimeMs: uptime,
    linkUptimeMs: uptime,
    terminalUptimeMs: uptime,
    routerUptimeMs: uptime,
  },
  usage: {
    intervalMs: range(0, MAX_USAGE_INTERVAL_MS, 'ms', 'a day'),
    rxBytes: intervalBytes,
    txBytes: intervalBytes,
    agentRxBytes: intervalBytes,
    agentTxBytes: intervalBytes,
    peakRxBitsPerSec: linkBits,
    peakTxBitsPerSec: linkBits,
    budgetUsedBytes: range(0, MAX_BUDGET_BYTES, 'bytes', 'a petabyte a month'),
    budgetCapBytes: range(0, MAX_BUDGET_BYTES, 'bytes', 'a petabyte a month'),
  },
  clients: {
    clientsInterval: range(0, 65_536, 'devices', 'a /16 LAN'),
    clientsHour: range(0, 65_536, 'devices', 'a /16 LAN'),
  },
  power: {
    batteryVolts: volts,
    batteryAmps: range(-1000, 1000, 'A', 'a large off-grid inverter draws a few hundred amps'),
    batteryTempCelsius: range(-40, 100, '°C', 'a battery is dead outside this'),
    panelVolts: range(0, 1000, 'V', 'MPPT controllers accept at most a few hundred volts of PV'),
    solarWatts: range(0, 100_000, 'W', 'a 100 kW array is far beyond any village site'),
    batteryMaxVoltsToday: volts,
    batteryMinVoltsToday: volts,
    lowVoltageDisconnectVolts: volts,
    chargerError: range(0, 65_535, 'code', 'a 16-bit register'),
    throttledFlags: range(0, 4_294_967_295, 'bits', '`get_throttled` is 32 bits'),
  },
  throughput: {
    downBytes: range(0, 1e12, 'bytes', 'a test is capped at `maxBytes`; a terabyte is far beyond it'),
    downMs: range(0, MS_PER_DAY, 'ms', 'a test stops after `maxSeconds`'),
    downBitsPerSec: linkBits,
    upBytes: range(0, 1e12, 'bytes', 'a test is capped at `maxBytes`; a terabyte is far beyond it'),
    upMs: range(0, MS_PER_DAY, 'ms', 'a test stops after `maxSeconds`'),
    upBitsPerSec: linkBits,
  },
  terminal: {
    popPingLatencyMs: rtt,
    popPingDropPct: percent,
    obstructedPct: percent,
    obstructionValidSec: twentyYearsSec,
    outageDurationMs: uptime,
    ethSpeedMbps: range(0, 100_000, 'Mbit/s', 'a 100 Gbit/s port; the dish has 1 Gbit/s'),
    dishBootCount: range(0, 1_000_000, 'boots', 'a reboot every ten minutes for twenty years'),
    historyCounter: twentyYearsSec,
    historySeconds: range(0, MS_PER_DAY / 1000, 's', 'a day; the dish keeps 15 minutes'),
    historyLostSeconds: twentyYearsSec,
    pingDropSharePct: percent,
    lastOutageStartMs: range(0, 4_102_444_800_000, 'epoch ms', 'before the year 2100'),
  },
  host: {
    cpuTempCelsius: range(-40, 150, '°C', 'a Pi runs from -40 °C and throttles at 85 °C'),
    memAvailableBytes: hostBytes,
    memTotalBytes: hostBytes,
    diskFreeBytes: cardBytes,
    diskTotalBytes: cardBytes,
    load1: load,
    load5: load,
    load15: load,
  },
} as const satisfies Record<string, Record<string, PlausibleRange>>;

export type PlausibleSection = keyof typeof PLAUSIBLE_RANGES;

/** The error code a section (or latency target) gets when one of its figures was implausible. */
export const IMPLAUSIBLE_VALUE = 'implausible_value';

/** Usage byte counts are held to the link rate over their own interval. */
const INTERVAL_BYTES: ReadonlySet<string> = new Set(['rxBytes', 'txBytes', 'agentRxBytes', 'agentTxBytes']);

/**
 * The highest plausible value of `field` in a section whose figures are `section`: the table's,
 * or for a usage byte count the link rate times the section's interval (at least 1 s).
 */
export function plausibleMax(
  name: PlausibleSection,
  field: string,
  section: Readonly<Record<string, unknown>>,
): number {
  const table: Readonly<Record<string, PlausibleRange>> = PLAUSIBLE_RANGES[name];
  const max = table[field]?.max ?? Number.POSITIVE_INFINITY;
  if (name !== 'usage' || !INTERVAL_BYTES.has(field)) return max;
  const interval = section.intervalMs;
  if (typeof interval !== 'number' || !(interval >= 0 && interval <= MAX_USAGE_INTERVAL_MS)) return max;
  return Math.ceil(MAX_LINK_BYTES_PER_MS * Math.max(interval, MIN_JUDGED_INTERVAL_MS));
}

const ENTRIES = Object.fromEntries(
  Object.entries(PLAUSIBLE_RANGES).map(([name, fields]) => [
    name,
    Object.entries(fields as Record<string, PlausibleRange>),
  ]),
) as unknown as Record<PlausibleSection, readonly [string, PlausibleRange][]>;
const NONE: readonly string[] = [];

type QuickCheck = (section: Readonly<Record<string, unknown>>) => boolean;

/**
 * A function that says whether every figure of a section is plausible, generated once from the
 * table with each field read by name: ingest runs it on every section of every sample, and reading
 * fields by a variable key was most of the rule's cost. Field names are the table's own keys.
 */
function compileQuickCheck(name: PlausibleSection): QuickCheck {
  const lines = ['let v;'];
  if (name === 'usage') {
    lines.push(
      'const iv = s.intervalMs;',
      `const bytesMax = typeof iv === 'number' && iv >= 0 && iv <= ${MAX_USAGE_INTERVAL_MS}` +
        ` ? Math.ceil(${MAX_LINK_BYTES_PER_MS} * Math.max(iv, ${MIN_JUDGED_INTERVAL_MS})) : Infinity;`,
    );
  }
  for (const [field, r] of ENTRIES[name]) {
    const bytes = name === 'usage' && INTERVAL_BYTES.has(field) ? ' && v <= bytesMax' : '';
    // Written so that NaN is outside too.
    lines.push(`v = s.${field}; if (typeof v === 'number' && !(v >= ${r.min} && v <= ${r.max}${bytes})) return false;`);
  }
  lines.push('return true;');
  return new Function('s', lines.join('\n')) as QuickCheck;
}

const QUICK = Object.fromEntries(
  Object.keys(PLAUSIBLE_RANGES).map((name) => [name, compileQuickCheck(name as PlausibleSection)]),
) as Record<PlausibleSection, QuickCheck>;

/**
 * The fields of `section` (of probe `name`) whose value is a number outside its range, in table
 * order; the same empty list when all are plausible (the common case allocates nothing).
 */
export function implausibleFields(
  name: PlausibleSection,
  section: Readonly<Record<string, unknown>>,
): readonly string[] {
  if (QUICK[name](section)) return NONE;
  const out: string[] = [];
  for (const [field, r] of ENTRIES[name]) {
    const v = section[field];
    if (typeof v !== 'number') continue;
    if (!(v >= r.min && v <= plausibleMax(name, field, section))) out.push(field);
  }
  return out;
}
