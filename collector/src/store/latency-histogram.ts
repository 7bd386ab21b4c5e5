/**
 * Round-trip times in log-spaced buckets, so percentiles over any range (a month, a kabupaten) can
 * be merged from hourly roll-ups without the raw samples. Bucket `i` holds values in
 * [FLOOR_MS x GROWTH^i, FLOOR_MS x GROWTH^(i+1)); a percentile read back is the bucket's geometric
 * middle, within half a bucket (about 2.5 %) of the exact value (docs/reports.md).
 */
const FLOOR_MS = 0.1;
const GROWTH = 1.05;
const LOG_GROWTH = Math.log(GROWTH);
/** 0.1 ms x 1.05^300 is about 227 s: past any probe's timeout. */
const LAST_BUCKET = 300;

/** Sparse: `[bucket, count]` pairs in bucket order. */
export type LatencyHistogram = readonly (readonly [bucket: number, count: number])[];

export function latencyBucket(ms: number): number {
  if (!(ms > FLOOR_MS)) return 0;
  return Math.min(LAST_BUCKET, Math.floor(Math.log(ms / FLOOR_MS) / LOG_GROWTH));
}

/** The value a bucket stands for: its geometric middle. */
export function bucketMs(bucket: number): number {
  return FLOOR_MS * GROWTH ** (bucket + 0.5);
}

export function histogramOf(values: readonly number[]): LatencyHistogram {
  const counts = new Map<number, number>();
  for (const v of values) {
    const b = latencyBucket(v);
    counts.set(b, (counts.get(b) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => a[0] - b[0]);
}

/** Adds `histogram` into `into` (bucket -> count). */
export function addHistogram(into: Map<number, number>, histogram: LatencyHistogram): void {
  for (const [b, n] of histogram) into.set(b, (into.get(b) ?? 0) + n);
}

/** Nearest-rank percentile of merged counts, as the bucket's middle rounded to 0.1 ms; null when empty. */
export function histogramPercentile(counts: ReadonlyMap<number, number>, p: number): number | null {
  let total = 0;
  for (const n of counts.values()) total += n;
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const b of [...counts.keys()].sort((x, y) => x - y)) {
    seen += counts.get(b) ?? 0;
    if (seen >= rank) return Math.round(bucketMs(b) * 10) / 10;
  }
  return null;
}
