import { decodePayload, type Sample } from '@pantau/shared';
import { applyPlausibility } from '../ingest/plausibility.js';
import { type SampleFacts, sampleFacts } from './sample-facts.js';

/*
 * What the upgrade to one storage model (SQLite migration 4, PostgreSQL migration 2) does to data
 * stored before it: figures outside their plausible range are nulled (ingest did not check them
 * then), and each site's latest sample gets the fact columns that are new. Frozen with those
 * migrations: later changes to the plausible ranges do not change them.
 */

/** The fact columns stored before the upgrade, and their plausible ranges then (shared/src/plausible.ts). */
const LEGACY_FACT_BOUNDS: readonly (readonly [column: string, min: number, max: number])[] = [
  ['rx_bytes', 0, 1_080_000_000_000_000],
  ['tx_bytes', 0, 1_080_000_000_000_000],
  ['client_rx_bytes', 0, 1_080_000_000_000_000],
  ['client_tx_bytes', 0, 1_080_000_000_000_000],
  ['clients', 0, 65_536],
  ['battery_volts', 0, 100],
  ['rtt_gateway_ms', 0, 60_000],
  ['rtt_terminal_ms', 0, 60_000],
  ['rtt_internet_ms', 0, 60_000],
  ['rtt_noc_ms', 0, 60_000],
];

const outside = (column: string, min: number, max: number) => `(${column} < ${min} OR ${column} > ${max})`;

/** Samples holding an implausible figure. */
export const IMPLAUSIBLE_LEGACY_WHERE = LEGACY_FACT_BOUNDS.map(([c, min, max]) => outside(c, min, max)).join(' OR ');

/** Marks their days for roll-up, then nulls the implausible figures (SQL both dialects accept). */
export const NULL_IMPLAUSIBLE_LEGACY_SQL = `
  INSERT INTO dirty_days (site_id, day_ms)
    SELECT DISTINCT site_id, (effective_ms / 86400000) * 86400000 FROM samples WHERE ${IMPLAUSIBLE_LEGACY_WHERE}
    ON CONFLICT DO NOTHING;
  UPDATE samples SET ${LEGACY_FACT_BOUNDS.map(
    ([c, min, max]) => `${c} = CASE WHEN ${outside(c, min, max)} THEN NULL ELSE ${c} END`,
  ).join(', ')}
  WHERE ${IMPLAUSIBLE_LEGACY_WHERE};`;

/** A site's latest sample as stored before the upgrade: its probes as JSON, or in its batch's payload. */
export interface LegacyLatest {
  readonly site_id: string;
  readonly boot_id: string;
  readonly seq: number;
  readonly probes: string | null;
  readonly payload: Uint8Array | null;
}

/** Its facts, read from the raw record after the plausibility rule; null when the record is unreadable. */
export function legacyFacts(row: LegacyLatest): SampleFacts | null {
  const probes = legacyProbes(row);
  if (probes === undefined) return null;
  const sample: Sample = { seq: row.seq, bootId: row.boot_id, wallMs: 0, clockSynced: false, uptimeMs: 0, probes };
  const checked = applyPlausibility({ v: 1, siteId: row.site_id, agentVersion: '-', sentAtMs: 0, samples: [sample] });
  return sampleFacts(checked.batch.samples[0] ?? sample);
}

function legacyProbes(row: LegacyLatest): Sample['probes'] | undefined {
  if (row.probes !== null) return JSON.parse(row.probes) as Sample['probes'];
  if (row.payload === null) return undefined;
  // It passed the same decoder at ingest; the column site comes from the stored row.
  const decoded = decodePayload('telemetry', row.payload, row.payload.byteLength, { siteId: row.site_id });
  if (!decoded.ok) return undefined;
  return decoded.value.samples.find((s) => s.bootId === row.boot_id && s.seq === row.seq)?.probes;
}

/** The fact columns the upgrade adds, which `legacyFacts` fills for each site's latest sample. */
export const NEW_FACT_KEYS = [
  'underVoltageNow',
  'underVoltageSinceBoot',
  'lossGatewayPct',
  'lossTerminalPct',
  'lossInternetPct',
  'lossNocPct',
  'linkUp',
  'previousRunClean',
  'systemUptimeMs',
  'errors',
] as const satisfies readonly (keyof SampleFacts)[];
