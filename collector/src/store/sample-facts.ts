import type { LatencyRole, Sample } from '@pantau/shared';

/**
 * The few figures of a sample that roll-ups need, stored as columns beside the JSON probes so a
 * roll-up never parses JSON. Null means not measured.
 */
export interface SampleFacts {
  readonly rxBytes: number | null;
  readonly txBytes: number | null;
  /** Client traffic: totals minus the agent's own (docs/protocol.md, probes.usage). */
  readonly clientRxBytes: number | null;
  readonly clientTxBytes: number | null;
  readonly clients: number | null;
  readonly batteryVolts: number | null;
  readonly rttGatewayMs: number | null;
  readonly rttTerminalMs: number | null;
  readonly rttInternetMs: number | null;
  readonly rttNocMs: number | null;
}

export const latencyRoles: readonly LatencyRole[] = ['gateway', 'terminal', 'internet', 'noc'];

export function sampleFacts(sample: Sample): SampleFacts {
  const usage = sample.probes.usage;
  const usable = usage !== undefined && usage.error === null;
  const rx = usable ? usage.rxBytes : null;
  const tx = usable ? usage.txBytes : null;
  return {
    rxBytes: rx,
    txBytes: tx,
    clientRxBytes: rx === null ? null : Math.max(0, rx - (usage?.agentRxBytes ?? 0)),
    clientTxBytes: tx === null ? null : Math.max(0, tx - (usage?.agentTxBytes ?? 0)),
    clients: sample.probes.clients?.clientsInterval ?? null,
    batteryVolts: sample.probes.power?.batteryVolts ?? null,
    rttGatewayMs: roleRtt(sample, 'gateway'),
    rttTerminalMs: roleRtt(sample, 'terminal'),
    rttInternetMs: roleRtt(sample, 'internet'),
    rttNocMs: roleRtt(sample, 'noc'),
  };
}

/** Mean of `rttAvgMs` over the targets of one role that answered. */
function roleRtt(sample: Sample, role: LatencyRole): number | null {
  let sum = 0;
  let n = 0;
  for (const t of sample.probes.latency?.targets ?? []) {
    if (t.role === role && t.rttAvgMs !== null) {
      sum += t.rttAvgMs;
      n += 1;
    }
  }
  return n === 0 ? null : sum / n;
}
