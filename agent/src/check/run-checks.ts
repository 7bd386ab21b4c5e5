import type { LatencyTarget, Result, SampleInput } from '@pantau/shared';
import type { AgentConfig } from '../config/schema.js';
import type { BrokerCheckCode } from './broker-round-trip.js';
import { formatValues } from './format-section.js';

/** One line of the self-test: a check, whether it passed, what it saw, and the code of a failure. */
export interface CheckLine {
  readonly id: string;
  readonly ok: boolean;
  readonly detail: string;
  readonly code: string | null;
}

export interface CheckDeps {
  readonly config: AgentConfig;
  /** Takes one sample with every configured probe, as the agent would (nothing is published). */
  readonly sampleOnce: () => Promise<SampleInput>;
  readonly brokerRoundTrip: () => Promise<Result<{ roundTripMs: number }, BrokerCheckCode>>;
  readonly clockSynced: () => Promise<boolean>;
  readonly diskSpace: () => Promise<Result<{ freeBytes: number }, 'disk_unwritable'>>;
  /** Free space the spool needs at its bound. */
  readonly requiredDiskBytes: number;
}

/** Runs every check at once; the slowest (a probe or the broker) bounds the whole. */
export async function runChecks(deps: CheckDeps): Promise<CheckLine[]> {
  const [sample, broker, synced, disk] = await Promise.all([
    deps.sampleOnce(),
    deps.brokerRoundTrip(),
    deps.clockSynced(),
    deps.diskSpace(),
  ]);
  const { config } = deps;
  const lines: CheckLine[] = [
    {
      id: 'config',
      ok: true,
      detail: `site ${config.siteId}, broker ${config.mqtt.url}, every ${config.sample.intervalSec} s`,
      code: null,
    },
    broker.ok
      ? {
          id: 'broker',
          ok: true,
          detail: `round trip ${broker.value.roundTripMs} ms via ${config.mqtt.url}`,
          code: null,
        }
      : { id: 'broker', ok: false, detail: broker.message, code: broker.code },
    synced
      ? { id: 'clock', ok: true, detail: 'synchronised (NTP)', code: null }
      : { id: 'clock', ok: false, detail: 'not synchronised', code: 'clock_unsynced' },
    diskLine(disk, deps.requiredDiskBytes, config.dataDir),
  ];
  for (const [name, section] of Object.entries(sample.probes ?? {})) {
    if (section === undefined) continue;
    lines.push(
      name === 'latency'
        ? latencyLine(section as { targets?: LatencyTarget[]; error?: string | null })
        : probeLine(name, section),
    );
  }
  return lines;
}

function diskLine(
  disk: Awaited<ReturnType<CheckDeps['diskSpace']>>,
  requiredBytes: number,
  dataDir: string,
): CheckLine {
  if (!disk.ok) return { id: 'disk', ok: false, detail: disk.message, code: disk.code };
  const freeMb = Math.floor(disk.value.freeBytes / 1e6);
  const needMb = Math.ceil(requiredBytes / 1e6);
  const detail = `${freeMb} MB free in ${dataDir}, the spool needs up to ${needMb} MB`;
  return disk.value.freeBytes >= requiredBytes
    ? { id: 'disk', ok: true, detail, code: null }
    : { id: 'disk', ok: false, detail, code: 'disk_low' };
}

function latencyLine(section: { targets?: LatencyTarget[]; error?: string | null }): CheckLine {
  const targets = section.targets ?? [];
  const sectionError = section.error ?? null;
  if (sectionError !== null) return { id: 'latency', ok: false, detail: sectionError, code: sectionError };
  const failed = targets.find((t) => t.error !== null);
  const detail = targets
    .map((t) =>
      t.error === null ? `${t.role} ${t.host} ${t.rttAvgMs} ms, loss ${t.lossPct} %` : `${t.role} ${t.host} ${t.error}`,
    )
    .join('; ');
  return { id: 'latency', ok: failed === undefined, detail, code: failed?.error ?? null };
}

/**
 * Codes that mean "read fine, nothing to compare yet": the usage probe needs two readings of the
 * counters, and the self-test takes one. They pass, and the line says so.
 */
const notYetCodes: ReadonlySet<string> = new Set(['no_baseline']);

function probeLine(name: string, section: unknown): CheckLine {
  const values = section as Record<string, unknown>;
  const code = typeof values.error === 'string' ? values.error : null;
  if (code !== null && notYetCodes.has(code)) {
    return {
      id: name,
      ok: true,
      detail: `counters readable (${formatValues(values)}); traffic shows from the second sample`,
      code: null,
    };
  }
  const error = code;
  const shown = formatValues(values);
  return {
    id: name,
    ok: error === null,
    detail: error === null ? shown : [error, shown].filter(Boolean).join(': '),
    code: error,
  };
}
