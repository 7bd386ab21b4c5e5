import type { SeqRange } from '../store/records.js';

/**
 * Gap scans look at a site's latest this-many sequence numbers only (two weeks of one-minute
 * samples; the agent's outbox holds one) and the last one before them, so a scan reads a bounded
 * stretch of the identity index.
 */
export const GAP_WINDOW_SEQS = 20_160;

/** Subtracts `gone` ranges from `ranges` (both sorted or not); result sorted. */
export function subtractRanges(ranges: readonly SeqRange[], gone: readonly SeqRange[]): SeqRange[] {
  let out = ranges.map((r) => ({ fromSeq: r.fromSeq, toSeq: r.toSeq }));
  for (const g of gone) {
    const next: { fromSeq: number; toSeq: number }[] = [];
    for (const r of out) {
      if (g.toSeq < r.fromSeq || g.fromSeq > r.toSeq) next.push(r);
      else {
        if (g.fromSeq > r.fromSeq) next.push({ fromSeq: r.fromSeq, toSeq: g.fromSeq - 1 });
        if (g.toSeq < r.toSeq) next.push({ fromSeq: g.toSeq + 1, toSeq: r.toSeq });
      }
    }
    out = next;
  }
  return out.sort((a, b) => a.fromSeq - b.fromSeq);
}
