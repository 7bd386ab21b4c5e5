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
];

/** The facts that are numbers or booleans (packed as numbers for the SQLite worker), in column order. */
export const NUMERIC_FACTS = FACT_COLUMNS.filter((f) => f.kind !== 'text');

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

export function sampleFacts(sample: Sample): SampleFacts {
  const { usage, power, uptime } = sample.probes;
  // A failed reading's figures are partial; an implausible one is already null, and the rest stand.
  const usable = usage !== undefined && (usage.error === null || usage.error === IMPLAUSIBLE_VALUE);
  const rx = usable ? usage.rxBytes : null;
  const tx = usable ? usage.txBytes : null;
  const roles = roleFigures(sample);
  return {
    rxBytes: rx,
    txBytes: tx,
    clientRxBytes: rx === null ? null : Math.max(0, rx - (usage?.agentRxBytes ?? 0)),
    clientTxBytes: tx === null ? null : Math.max(0, tx - (usage?.agentTxBytes ?? 0)),
    clients: sample.probes.clients?.clientsInterval ?? null,
    batteryVolts: power?.batteryVolts ?? null,
    underVoltageNow: power?.underVoltageNow ?? null,
    underVoltageSinceBoot: power?.underVoltageSinceBoot ?? null,
    rttGatewayMs: roles.rtt.gateway,
    rttTerminalMs: roles.rtt.terminal,
    rttInternetMs: roles.rtt.internet,
    rttNocMs: roles.rtt.noc,
    lossGatewayPct: roles.loss.gateway,
    lossTerminalPct: roles.loss.terminal,
    lossInternetPct: roles.loss.internet,
    lossNocPct: roles.loss.noc,
    linkUp: uptime?.linkUp ?? null,
    previousRunClean: uptime?.previousRunClean ?? null,
    systemUptimeMs: uptime?.systemUptimeMs ?? null,
    errors: errorList(sample),
  };
}

type PerRole = Record<LatencyRole, number | null>;

/** Per role, the mean `rttAvgMs` over its targets that answered and the mean `lossPct` over those that measured it. */
function roleFigures(sample: Sample): { rtt: PerRole; loss: PerRole } {
  const rtt: PerRole = { gateway: null, terminal: null, internet: null, noc: null };
  const loss: PerRole = { gateway: null, terminal: null, internet: null, noc: null };
  const targets = sample.probes.latency?.targets;
  if (targets === undefined || targets.length === 0) return { rtt, loss };
  for (const role of latencyRoles) {
    let rttSum = 0;
    let rttN = 0;
    let lossSum = 0;
    let lossN = 0;
    for (const t of targets) {
      if (t.role !== role) continue;
      if (t.rttAvgMs !== null) {
        rttSum += t.rttAvgMs;
        rttN += 1;
      }
      if (t.lossPct !== null) {
        lossSum += t.lossPct;
        lossN += 1;
      }
    }
    rtt[role] = rttN === 0 ? null : rttSum / rttN;
    loss[role] = lossN === 0 ? null : lossSum / lossN;
  }
  return { rtt, loss };
}

const SECTION_NAMES = ['latency', 'uptime', 'usage', 'clients', 'power', 'throughput'] as const;

function errorList(sample: Sample): string | null {
  let list: string[] | undefined;
  const add = (entry: string) => {
    list ??= [];
    if (!list.includes(entry)) list.push(entry);
  };
  for (const name of SECTION_NAMES) {
    const error = sample.probes[name]?.error;
    if (error !== undefined && error !== null) add(`${name}:${error}`);
  }
  for (const t of sample.probes.latency?.targets ?? []) if (t.error !== null) add(`latency.${t.role}:${t.error}`);
  return list === undefined ? null : list.join(' ');
}
