import type { Sample } from '@pantau/shared';
import type { TimeQuality } from './records.js';

/**
 * Re-basing a sample's time (docs/storage.md, "Clock correction"). A Pi without a clock battery
 * has a wrong clock until NTP syncs, but its uptime is right: within one boot, wall time minus
 * uptime is constant once synchronised. That constant is the boot's offset.
 */
export interface EffectiveTime {
  readonly effectiveMs: number;
  readonly timeQuality: TimeQuality;
}

/** What re-basing reads of a sample. */
export type TimedSample = Pick<Sample, 'bootId' | 'wallMs' | 'clockSynced' | 'uptimeMs'>;

/** The offset of a synchronised sample: wall time - uptime. */
export function bootOffsetMs(sample: Pick<Sample, 'wallMs' | 'uptimeMs'>): number {
  return sample.wallMs - sample.uptimeMs;
}

/** For each boot in a batch, the offset its first synchronised sample gives (if any). */
export function offsetsInBatch(samples: readonly TimedSample[]): Map<string, number> {
  const offsets = new Map<string, number>();
  for (const s of samples) if (s.clockSynced && !offsets.has(s.bootId)) offsets.set(s.bootId, bootOffsetMs(s));
  return offsets;
}

/** The highest uptime per boot in a batch: the batch's newest sample was taken about at receipt. */
export function maxUptimeByBoot(samples: readonly TimedSample[]): Map<string, number> {
  const max = new Map<string, number>();
  for (const s of samples) max.set(s.bootId, Math.max(max.get(s.bootId) ?? 0, s.uptimeMs));
  return max;
}

/**
 * `offset` is the boot's known offset (stored, or from this batch); without one the time is
 * estimated from receipt: the newest sample of the boot in this batch is taken to be "now".
 */
export function effectiveTime(
  sample: TimedSample,
  offset: number | undefined,
  receivedMs: number,
  maxUptimeMs: number,
): EffectiveTime {
  if (sample.clockSynced) return { effectiveMs: sample.wallMs, timeQuality: 'measured' };
  if (offset !== undefined) return { effectiveMs: Math.max(0, offset + sample.uptimeMs), timeQuality: 'corrected' };
  return { effectiveMs: Math.max(0, receivedMs - (maxUptimeMs - sample.uptimeMs)), timeQuality: 'estimated' };
}
