import type { Sample, TelemetryBatch } from '@pantau/shared';
import { MS_PER_DAY } from '@pantau/shared';
import { type SampleFacts, sampleFacts } from './sample-facts.js';
import type { TimeQuality } from './store.js';
import { effectiveTime, maxUptimeByBoot, offsetsInBatch } from './time-basis.js';

/** One sample as both stores write it. */
export interface SampleRow {
  readonly bootId: string;
  readonly seq: number;
  readonly wallMs: number;
  readonly clockSynced: boolean;
  readonly uptimeMs: number;
  /** As sent; PostgreSQL writes it as JSON, SQLite keeps the batch's payload instead. */
  readonly probes: Sample['probes'];
  readonly effectiveMs: number;
  readonly timeQuality: TimeQuality;
  readonly facts: SampleFacts;
}

export interface PreparedBatch {
  readonly rows: SampleRow[];
  /** Boots whose first synchronised sample is in this batch: their offset, to store and re-base with. */
  readonly newOffsets: Map<string, number>;
}

/** Rows for a batch given the offsets the store already knows for its boots. */
export function prepareBatch(
  batch: TelemetryBatch,
  receivedMs: number,
  knownOffsets: ReadonlyMap<string, number>,
): PreparedBatch {
  const fromBatch = offsetsInBatch(batch.samples);
  const newOffsets = new Map<string, number>();
  for (const [boot, offset] of fromBatch) if (!knownOffsets.has(boot)) newOffsets.set(boot, offset);
  const maxUptime = maxUptimeByBoot(batch.samples);
  const rows = batch.samples.map((s): SampleRow => {
    const offset = knownOffsets.get(s.bootId) ?? newOffsets.get(s.bootId);
    const time = effectiveTime(s, offset, receivedMs, maxUptime.get(s.bootId) ?? s.uptimeMs);
    return {
      bootId: s.bootId,
      seq: s.seq,
      wallMs: s.wallMs,
      clockSynced: s.clockSynced,
      uptimeMs: s.uptimeMs,
      probes: s.probes,
      effectiveMs: time.effectiveMs,
      timeQuality: time.timeQuality,
      facts: sampleFacts(s),
    };
  });
  return { rows, newOffsets };
}

export function dayOf(ms: number): number {
  return Math.floor(ms / MS_PER_DAY) * MS_PER_DAY;
}

/** Distinct boot ids of a batch. */
export function bootsOf(batch: TelemetryBatch): string[] {
  return [...new Set(batch.samples.map((s) => s.bootId))];
}
