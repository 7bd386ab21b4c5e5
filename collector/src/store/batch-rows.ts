import { MS_PER_DAY } from '@pantau/shared';
import type { BatchItem, ImplausibleFigure } from './records.js';
import { type FactValues, sampleFactValues } from './sample-facts.js';
import { type EffectiveTime, effectiveTime, maxUptimeByBoot, offsetsInBatch, type TimedSample } from './time-basis.js';

/** What both stores write of every sample: identity, clock, facts (its probes stay in the payload). */
export interface SampleRow extends TimedSample {
  readonly seq: number;
  /** In `FACT_COLUMNS` order. */
  readonly facts: FactValues;
}

/** A batch as the stores write it: one row a sample, the payload once, the implausible figures to count. */
export interface BatchRows {
  readonly siteId: string;
  readonly receivedMs: number;
  readonly samples: readonly SampleRow[];
  readonly payload: Uint8Array;
  readonly implausible: readonly ImplausibleFigure[];
}

/** A decoded batch as rows (the facts are read from its probes here, on the caller's thread). */
export function toBatchRows({ batch, receivedMs, payload, implausible }: BatchItem): BatchRows {
  const samples: SampleRow[] = [];
  // An index loop: entries() iterators made a pair per value.
  for (let i = 0; i < batch.samples.length; i++) {
    const s = batch.samples[i] as (typeof batch.samples)[number];
    samples.push({
      bootId: s.bootId,
      seq: s.seq,
      wallMs: s.wallMs,
      clockSynced: s.clockSynced,
      uptimeMs: s.uptimeMs,
      facts: sampleFactValues(s),
    });
  }
  return {
    siteId: batch.siteId,
    receivedMs,
    samples,
    // A batch handed over without its payload (tests, tools) is kept as plain JSON, which decodes alike.
    payload: payload ?? Buffer.from(JSON.stringify(batch), 'utf8'),
    implausible: implausible ?? [],
  };
}

/**
 * The time each of a batch's samples is filed under (in order), given the offsets the store already
 * knows for their boots; and the boots whose first synchronised sample is in the batch.
 */
export function fileSamples(
  samples: readonly TimedSample[],
  receivedMs: number,
  knownOffsets: ReadonlyMap<string, number>,
): { readonly times: EffectiveTime[]; readonly newOffsets: Map<string, number> } {
  const fromBatch = offsetsInBatch(samples);
  const newOffsets = new Map<string, number>();
  for (const [boot, offset] of fromBatch) if (!knownOffsets.has(boot)) newOffsets.set(boot, offset);
  const maxUptime = maxUptimeByBoot(samples);
  const times = samples.map((s) => {
    const offset = knownOffsets.get(s.bootId) ?? newOffsets.get(s.bootId);
    return effectiveTime(s, offset, receivedMs, maxUptime.get(s.bootId) ?? s.uptimeMs);
  });
  return { times, newOffsets };
}

/**
 * Payloads are kept this long past the retention horizon of their receipt. A sample is filed at most
 * a day after its receipt (ingest rejects a synchronised clock further ahead; re-based times derive
 * from such clocks), so its payload outlives it, whatever its effective time.
 */
export const PAYLOAD_MARGIN_MS = 2 * MS_PER_DAY;

export function dayOf(ms: number): number {
  return Math.floor(ms / MS_PER_DAY) * MS_PER_DAY;
}

/** Distinct boot ids of a batch's samples. */
export function bootsOf(samples: readonly { readonly bootId: string }[]): string[] {
  return [...new Set(samples.map((s) => s.bootId))];
}
