import type { Sample, TelemetryBatch } from '@pantau/shared';
import { MS_PER_DAY } from '@pantau/shared';
import { type SampleFacts, sampleFacts } from './sample-facts.js';
import type { TimeQuality } from './store.js';
import { type EffectiveTime, effectiveTime, maxUptimeByBoot, offsetsInBatch, type TimedSample } from './time-basis.js';

/** What both stores write of every sample besides its probes: identity, clock, roll-up facts. */
export interface CoreSample extends TimedSample {
  readonly seq: number;
  readonly facts: SampleFacts;
}

/** A sample with the time the store files it under. */
export type Filed<S> = S & { readonly effectiveMs: number; readonly timeQuality: TimeQuality };

export type ProbedSample = CoreSample & { readonly probes: Sample['probes'] };

/** One sample as PostgreSQL writes it (SQLite keeps the batch's payload instead of each sample's probes). */
export type SampleRow = Filed<ProbedSample>;

export interface Prepared<S> {
  readonly rows: Filed<S>[];
  /** Boots whose first synchronised sample is in this batch: their offset, to store and re-base with. */
  readonly newOffsets: Map<string, number>;
}

/**
 * The time each of a batch's samples is filed under (in order), given the offsets the store already
 * knows for their boots.
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

/** Rows for a batch, with their probes, given the offsets the store already knows for its boots. */
export function prepareBatch(
  batch: TelemetryBatch,
  receivedMs: number,
  knownOffsets: ReadonlyMap<string, number>,
): Prepared<ProbedSample> {
  const samples = batch.samples.map(
    (s): ProbedSample => ({
      bootId: s.bootId,
      seq: s.seq,
      wallMs: s.wallMs,
      clockSynced: s.clockSynced,
      uptimeMs: s.uptimeMs,
      probes: s.probes,
      facts: sampleFacts(s),
    }),
  );
  const { times, newOffsets } = fileSamples(samples, receivedMs, knownOffsets);
  return { rows: samples.map((s, i) => ({ ...s, ...(times[i] as EffectiveTime) })), newOffsets };
}

export function dayOf(ms: number): number {
  return Math.floor(ms / MS_PER_DAY) * MS_PER_DAY;
}

/** Distinct boot ids of a batch's samples. */
export function bootsOf(samples: readonly { readonly bootId: string }[]): string[] {
  return [...new Set(samples.map((s) => s.bootId))];
}
