import type { LatencyTarget, Result, SampleInput } from '@pantau/shared';
import type { AgentConfig } from '../config/schema.js';
import type { BrokerCheckCode } from './broker-round-trip.js';
import { formatValues } from './format-section.js';
import type { CheckMessage } from './messages.js';

/**
 * One line of the self-test: a check, whether it passed, what it saw (texts rendered in the
 * technician's language, joined by `; `), and the code of a failure.
 */
export interface CheckLine {
  readonly id: string;
  readonly ok: boolean;
  readonly detail: readonly CheckMessage[];
  readonly code: string | null;
}

/** Words from elsewhere (a broker's or the system's error message), shown as they came. */
const text = (t: string): CheckMessage[] => [{ key: 'detail.text', params: { text: t } }];

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
      detail: [
        {
          key: 'detail.config',
          params: { site: config.siteId, broker: config.mqtt.url, intervalSec: config.sample.intervalSec },
        },
      ],
      code: null,
    },
    broker.ok
      ? {
          id: 'broker',
          ok: true,
          detail: [
            { key: 'detail.broker', params: { roundTripMs: broker.value.roundTripMs, broker: config.mqtt.url } },
          ],
          code: null,
        }
      : { id: 'broker', ok: false, detail: text(broker.message), code: broker.code },
    synced
      ? { id: 'clock', ok: true, detail: [{ key: 'detail.clock_synced' }], code: null }
      : { id: 'clock', ok: false, detail: [{ key: 'detail.clock_unsynced' }], code: 'clock_unsynced' },
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
  if (!disk.ok) return { id: 'disk', ok: false, detail: text(disk.message), code: disk.code };
  const freeMb = Math.floor(disk.value.freeBytes / 1e6);
  const needMb = Math.ceil(requiredBytes / 1e6);
  const detail: CheckMessage[] = [{ key: 'detail.disk', params: { freeMb, dataDir, needMb } }];
  return disk.value.freeBytes >= requiredBytes
    ? { id: 'disk', ok: true, detail, code: null }
    : { id: 'disk', ok: false, detail, code: 'disk_low' };
}

function latencyLine(section: { targets?: LatencyTarget[]; error?: string | null }): CheckLine {
  const targets = section.targets ?? [];
  const sectionError = section.error ?? null;
  if (sectionError !== null) {
    return {
      id: 'latency',
      ok: false,
      detail: [{ key: 'detail.error', params: { code: sectionError } }],
      code: sectionError,
    };
  }
  const failed = targets.find((t) => t.error !== null);
  const detail = targets.map(
    (t): CheckMessage =>
      t.error === null
        ? {
            key: 'detail.target',
            params: { role: t.role, host: t.host, rttMs: String(t.rttAvgMs), lossPct: String(t.lossPct) },
          }
        : { key: 'detail.target_failed', params: { role: t.role, host: t.host, code: t.error } },
  );
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
      detail: [{ key: 'detail.not_yet', params: { values: formatValues(values) } }],
      code: null,
    };
  }
  const error = code;
  const shown = formatValues(values);
  return {
    id: name,
    ok: error === null,
    detail: [
      error === null
        ? { key: 'detail.values', params: { values: shown } }
        : shown === ''
          ? { key: 'detail.error', params: { code: error } }
          : { key: 'detail.error_values', params: { code: error, values: shown } },
    ],
    code: error,
  };
}
