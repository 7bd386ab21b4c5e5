import type { Sample, TelemetryBatch, TerminalSection } from '@pantau/shared';
import { effectiveTime, maxUptimeByBoot, offsetsInBatch } from '../store/time-basis.js';

/** What health reads of a sample: a few figures, with the time the collector files it under. */
export interface HealthSample {
  readonly seq: number;
  readonly bootId: string;
  /** Effective time (docs/storage.md, "Clock correction"). */
  readonly atMs: number;
  readonly clockSynced: boolean;
  readonly uptimeMs: number;
  readonly agentUptimeMs: number | null;
  readonly linkUp: boolean | null;
  readonly previousRunClean: boolean | null;
  readonly terminalUptimeMs: number | null;
  /** The site's router's uptime (SNMP), where the agent reads one. */
  readonly routerUptimeMs: number | null;
  /** The terminal did not answer (`terminal_unreachable`, `terminal_timeout`). */
  readonly terminalDown: boolean;
  /**
   * The dish itself reported lost service (a Starlink dish's outage cause: `obstructed`,
   * `searching`, `no_sats`, ...): in an outage when sampled, or out of service for a good part of
   * the time since the previous sample. Null when it did not, or when there is no such dish.
   */
  readonly dishOutage: string | null;
  readonly batteryVolts: number | null;
  readonly lowVoltageDisconnectVolts: number | null;
  readonly underVoltageNow: boolean | null;
  readonly underVoltageSinceBoot: boolean | null;
  /** Worst round trip and loss of the internet and NOC targets that were probed. */
  readonly rttMs: number | null;
  readonly lossPct: number | null;
}

const TERMINAL_DOWN = new Set(['terminal_unreachable', 'terminal_timeout']);
/** Outage seconds within one sample's span that count as the dish being out of service (not a blip). */
export const DISH_OUTAGE_MIN_SEC = 30;

/** The dish's own outage cause, if it reported one worth counting (see `HealthSample.dishOutage`). */
export function dishOutageOf(terminal: TerminalSection | null | undefined): string | null {
  if (terminal === null || terminal === undefined) return null;
  if (terminal.state !== null && terminal.state !== 'connected') return terminal.outageCause ?? terminal.state;
  if (terminal.outageCause !== null) return terminal.outageCause;
  let worst: [string, number] | null = null;
  for (const [cause, sec] of Object.entries(terminal.outageSecondsByCause ?? {})) {
    if (worst === null || sec > worst[1]) worst = [cause, sec];
  }
  const total = Object.values(terminal.outageSecondsByCause ?? {}).reduce((a, b) => a + b, 0);
  return worst !== null && total >= DISH_OUTAGE_MIN_SEC ? worst[0] : null;
}

export function toHealthSample(sample: Sample, atMs: number): HealthSample {
  const { uptime, power, latency, terminal } = sample.probes;
  let rttMs: number | null = null;
  let lossPct: number | null = null;
  for (const t of latency?.targets ?? []) {
    if (t.role !== 'internet' && t.role !== 'noc') continue;
    if (t.rttAvgMs !== null) rttMs = Math.max(rttMs ?? 0, t.rttAvgMs);
    if (t.lossPct !== null) lossPct = Math.max(lossPct ?? 0, t.lossPct);
  }
  return {
    seq: sample.seq,
    bootId: sample.bootId,
    atMs,
    clockSynced: sample.clockSynced,
    uptimeMs: sample.uptimeMs,
    agentUptimeMs: uptime?.agentUptimeMs ?? null,
    linkUp: uptime?.linkUp ?? null,
    previousRunClean: uptime?.previousRunClean ?? null,
    terminalUptimeMs: uptime?.terminalUptimeMs ?? null,
    routerUptimeMs: uptime?.routerUptimeMs ?? null,
    terminalDown: uptime?.error != null && TERMINAL_DOWN.has(uptime.error) && uptime.terminalUptimeMs === null,
    dishOutage: dishOutageOf(terminal),
    batteryVolts: power?.batteryVolts ?? null,
    lowVoltageDisconnectVolts: power?.lowVoltageDisconnectVolts ?? null,
    underVoltageNow: power?.underVoltageNow ?? null,
    underVoltageSinceBoot: power?.underVoltageSinceBoot ?? null,
    rttMs,
    lossPct,
  };
}

/**
 * A batch's samples with the times the store would file them under, when the caller does not have
 * them from the store: `bootOffsetMs` gives a boot's known offset (wall - uptime), if any.
 */
export function healthSamplesOf(
  batch: TelemetryBatch,
  receivedMs: number,
  bootOffsetMs: (bootId: string) => number | undefined = () => undefined,
): HealthSample[] {
  const offsets = offsetsInBatch(batch.samples);
  const maxUptime = maxUptimeByBoot(batch.samples);
  return batch.samples.map((s) => {
    const offset = offsets.get(s.bootId) ?? bootOffsetMs(s.bootId);
    const { effectiveMs } = effectiveTime(s, offset, receivedMs, maxUptime.get(s.bootId) ?? s.uptimeMs);
    return toHealthSample(s, effectiveMs);
  });
}
