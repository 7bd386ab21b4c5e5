import { IMPLAUSIBLE_VALUE, type LatencyRole, type Sample } from '@pantau/shared';

/**
 * The figures of a sample that reports, roll-ups and the NOC's site list read, kept as columns of
 * the sample's row so that nothing reads a payload back. Null means not measured. Both stores have
 * the same columns (`FACT_COLUMNS`); the whole sample as sent stays in its payload.
 */
export interface SampleFacts {
  readonly rxBytes: number | null;
  readonly txBytes: number | null;
  /** Client traffic: totals minus the agent's own (docs/protocol.md, probes.usage). */
  readonly clientRxBytes: number | null;
  readonly clientTxBytes: number | null;
  /** Distinct client devices in the interval. */
  readonly clients: number | null;
  readonly batteryVolts: number | null;
  /** The panel's power when the sample was taken. */
  readonly solarWatts: number | null;
  readonly underVoltageNow: boolean | null;
  readonly underVoltageSinceBoot: boolean | null;
  /** Per latency role: the mean over its targets that answered. */
  readonly rttGatewayMs: number | null;
  readonly rttTerminalMs: number | null;
  readonly rttInternetMs: number | null;
  readonly rttNocMs: number | null;
  readonly lossGatewayPct: number | null;
  readonly lossTerminalPct: number | null;
  readonly lossInternetPct: number | null;
  readonly lossNocPct: number | null;
  readonly linkUp: boolean | null;
  readonly previousRunClean: boolean | null;
  readonly systemUptimeMs: number | null;
  /** `section:code` (latency: `latency.<role>:code`) for each error in the sample, space-separated; null when none. */
  readonly errors: string | null;
  /** An active throughput test's result, in the one sample taken when it finished. */
  readonly throughputDownBitsPerSec: number | null;
  readonly throughputUpBitsPerSec: number | null;
}

export type FactKind = 'int' | 'real' | 'bool' | 'text';

/** A fact, its column (the same name in SQLite and PostgreSQL) and how the column holds it. */
export interface FactColumn {
  readonly key: keyof SampleFacts;
  readonly column: string;
  readonly kind: FactKind;
}

export const FACT_COLUMNS: readonly FactColumn[] = [
  { key: 'rxBytes', column: 'rx_bytes', kind: 'int' },
  { key: 'txBytes', column: 'tx_bytes', kind: 'int' },
  { key: 'clientRxBytes', column: 'client_rx_bytes', kind: 'int' },
  { key: 'clientTxBytes', column: 'client_tx_bytes', kind: 'int' },
  { key: 'clients', column: 'clients', kind: 'int' },
  { key: 'batteryVolts', column: 'battery_volts', kind: 'real' },
  { key: 'underVoltageNow', column: 'under_voltage_now', kind: 'bool' },
  { key: 'underVoltageSinceBoot', column: 'under_voltage_since_boot', kind: 'bool' },
  { key: 'rttGatewayMs', column: 'rtt_gateway_ms', kind: 'real' },
  { key: 'rttTerminalMs', column: 'rtt_terminal_ms', kind: 'real' },
  { key: 'rttInternetMs', column: 'rtt_internet_ms', kind: 'real' },
  { key: 'rttNocMs', column: 'rtt_noc_ms', kind: 'real' },
  { key: 'lossGatewayPct', column: 'loss_gateway_pct', kind: 'real' },
  { key: 'lossTerminalPct', column: 'loss_terminal_pct', kind: 'real' },
  { key: 'lossInternetPct', column: 'loss_internet_pct', kind: 'real' },
  { key: 'lossNocPct', column: 'loss_noc_pct', kind: 'real' },
  { key: 'linkUp', column: 'link_up', kind: 'bool' },
  { key: 'previousRunClean', column: 'previous_run_clean', kind: 'bool' },
  { key: 'systemUptimeMs', column: 'system_uptime_ms', kind: 'int' },
  { key: 'errors', column: 'errors', kind: 'text' },
  { key: 'throughputDownBitsPerSec', column: 'throughput_down_bits_per_sec', kind: 'real' },
  { key: 'throughputUpBitsPerSec', column: 'throughput_up_bits_per_sec', kind: 'real' },
  { key: 'solarWatts', column: 'solar_watts', kind: 'real' },
];

/** The one text fact's position; the others are numbers or booleans (packed as numbers for the SQLite worker). */
export const TEXT_FACT_AT = FACT_COLUMNS.findIndex((f) => f.kind === 'text');

export const latencyRoles: readonly LatencyRole[] = ['gateway', 'terminal', 'internet', 'noc'];

/** SQL that reads the fact columns as `SampleFacts` keys (`quote` quotes an alias where the SQL dialect folds case). */
export function factSelectList(prefix: string, quote: (alias: string) => string): string {
  return FACT_COLUMNS.map((f) => `${prefix}${f.column} AS ${quote(f.key)}`).join(', ');
}

/** A row's fact columns as facts: SQLite gives booleans as 0/1. */
export function factsFromRow(row: Readonly<Record<string, unknown>>): SampleFacts {
  const facts: Record<string, unknown> = {};
  for (const f of FACT_COLUMNS) {
    const v = row[f.key] ?? null;
    facts[f.key] = f.kind === 'bool' && v !== null ? v === 1 || v === true : v;
  }
  return facts as unknown as SampleFacts;
}

/** A sample's facts in `FACT_COLUMNS` order: the form rows carry to the stores (read by index, not by name). */
export type FactValues = readonly (number | boolean | string | null)[];

/** `FACT_COLUMNS` positions, for the code that builds `FactValues` in that order. */
const AT = Object.fromEntries(FACT_COLUMNS.map((f, i) => [f.key, i])) as Record<keyof SampleFacts, number>;

/** The facts of a sample, in `FACT_COLUMNS` order. */
export function sampleFactValues(sample: Sample): FactValues {
  const { usage, power, uptime, clients, throughput } = sample.probes;
  const values = new Array<number | boolean | string | null>(FACT_COLUMNS.length).fill(null);
  // A failed reading's figures are partial; an implausible one is already null, and the rest stand.
  if (usage !== undefined && (usage.error === null || usage.error === IMPLAUSIBLE_VALUE)) {
    const { rxBytes: rx, txBytes: tx } = usage;
    values[AT.rxBytes] = rx;
    values[AT.txBytes] = tx;
    values[AT.clientRxBytes] = rx === null ? null : Math.max(0, rx - (usage.agentRxBytes ?? 0));
    values[AT.clientTxBytes] = tx === null ? null : Math.max(0, tx - (usage.agentTxBytes ?? 0));
  }
  values[AT.clients] = clients?.clientsInterval ?? null;
  if (power !== undefined) {
    values[AT.batteryVolts] = power.batteryVolts;
    values[AT.solarWatts] = power.solarWatts;
    values[AT.underVoltageNow] = power.underVoltageNow;
    values[AT.underVoltageSinceBoot] = power.underVoltageSinceBoot;
  }
  roleFigures(sample, values);
  if (uptime !== undefined) {
    values[AT.linkUp] = uptime.linkUp;
    values[AT.previousRunClean] = uptime.previousRunClean;
    values[AT.systemUptimeMs] = uptime.systemUptimeMs;
  }
  values[AT.errors] = errorList(sample);
  if (throughput !== undefined && (throughput.error === null || throughput.error === IMPLAUSIBLE_VALUE)) {
    values[AT.throughputDownBitsPerSec] = throughput.downBitsPerSec;
    values[AT.throughputUpBitsPerSec] = throughput.upBitsPerSec;
  }
  return values;
}

/** Facts by name from values in `FACT_COLUMNS` order. */
export function factsFromValues(values: FactValues): SampleFacts {
  return Object.fromEntries(FACT_COLUMNS.map((f, i) => [f.key, values[i] ?? null])) as unknown as SampleFacts;
}

export function sampleFacts(sample: Sample): SampleFacts {
  return factsFromValues(sampleFactValues(sample));
}

const ROLE_AT: Readonly<Record<LatencyRole, readonly [rtt: number, loss: number]>> = {
  gateway: [AT.rttGatewayMs, AT.lossGatewayPct],
  terminal: [AT.rttTerminalMs, AT.lossTerminalPct],
  internet: [AT.rttInternetMs, AT.lossInternetPct],
  noc: [AT.rttNocMs, AT.lossNocPct],
};
const ROLES_AT = Object.values(ROLE_AT);

/** Sums and counts per fact position, reused by every call (one thread, no re-entry). */
const sums = new Float64Array(FACT_COLUMNS.length);
const counts = new Uint16Array(FACT_COLUMNS.length);

/**
 * Per role, into `values`: the mean `rttAvgMs` over its targets that answered and the mean
 * `lossPct` over those that measured it. One pass over the targets; nothing allocated.
 */
function roleFigures(sample: Sample, values: (number | boolean | string | null)[]): void {
  const targets = sample.probes.latency?.targets;
  if (targets === undefined || targets.length === 0) return;
  sums.fill(0);
  counts.fill(0);
  for (let i = 0; i < targets.length; i++) {
    const t = targets[i] as (typeof targets)[number];
    const [rttAt, lossAt] = ROLE_AT[t.role];
    if (t.rttAvgMs !== null) {
      sums[rttAt] = (sums[rttAt] as number) + t.rttAvgMs;
      counts[rttAt] = (counts[rttAt] as number) + 1;
    }
    if (t.lossPct !== null) {
      sums[lossAt] = (sums[lossAt] as number) + t.lossPct;
      counts[lossAt] = (counts[lossAt] as number) + 1;
    }
  }
  for (const [rttAt, lossAt] of ROLES_AT) {
    if (counts[rttAt] !== 0) values[rttAt] = (sums[rttAt] as number) / (counts[rttAt] as number);
    if (counts[lossAt] !== 0) values[lossAt] = (sums[lossAt] as number) / (counts[lossAt] as number);
  }
}

const SECTION_NAMES = ['latency', 'uptime', 'usage', 'clients', 'power', 'throughput'] as const;

/** `section:code` for each section with an error, then `latency.<role>:code` for each failed target; null if none. */
function errorList(sample: Sample): string | null {
  const p = sample.probes;
  // Fields read by name: most samples have no error, and this runs for every sample.
  if (
    p.latency?.error == null &&
    p.uptime?.error == null &&
    p.usage?.error == null &&
    p.clients?.error == null &&
    p.power?.error == null &&
    p.throughput?.error == null &&
    (p.latency === undefined || p.latency.targets.every((t) => t.error === null))
  ) {
    return null;
  }
  const list: string[] = [];
  const add = (entry: string) => {
    if (!list.includes(entry)) list.push(entry);
  };
  for (const name of SECTION_NAMES) {
    const error = p[name]?.error;
    if (error !== undefined && error !== null) add(`${name}:${error}`);
  }
  for (const t of p.latency?.targets ?? []) if (t.error !== null) add(`latency.${t.role}:${t.error}`);
  return list.join(' ');
}
