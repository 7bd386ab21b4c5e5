import { MS_PER_DAY, type TelemetryBatch } from '@pantau/shared';

export interface TimeBounds {
  /** How far ahead of receipt a synchronised clock may be (clock skew, batching). */
  readonly futureMs: number;
  /** How far behind receipt a synchronised sample may be: raw retention plus a margin. */
  readonly pastMs: number;
}

export function timeBounds(retentionDays: number): TimeBounds {
  return { futureMs: MS_PER_DAY, pastMs: (retentionDays + 1) * MS_PER_DAY };
}

/**
 * The first synchronised sample whose wall time is implausible against receipt, described; null
 * when all are fine. Unsynchronised samples are never out of bounds: the collector re-bases them.
 */
export function checkTimeBounds(batch: TelemetryBatch, receivedMs: number, bounds: TimeBounds): string | null {
  for (let i = 0; i < batch.samples.length; i++) {
    const s = batch.samples[i] as TelemetryBatch['samples'][number];
    if (!s.clockSynced) continue;
    if (s.wallMs > receivedMs + bounds.futureMs) {
      return `samples.${i}.wallMs is ${s.wallMs - receivedMs} ms after receipt (synchronised clock)`;
    }
    if (s.wallMs < receivedMs - bounds.pastMs) {
      return `samples.${i}.wallMs is ${receivedMs - s.wallMs} ms before receipt, beyond retention (synchronised clock)`;
    }
  }
  return null;
}
