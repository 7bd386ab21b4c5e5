import type { Result, SampleInput } from '@pantau/shared';

/** A storage fault the spool is living with; samples that meet it are dropped and counted. */
export type SpoolFault = 'disk_full' | 'io_error';

export interface SeqRange {
  readonly fromSeq: number;
  readonly toSeq: number;
}

/** What the spool holds of a requested range: the samples, and the ranges it no longer has. */
export interface SpoolRange {
  readonly samples: readonly SampleInput[];
  readonly gone: readonly SeqRange[];
}

/**
 * Samples taken at the site, durable before they count as taken. A sample is `unsent` until the
 * broker has acknowledged it (`markSent`); sent samples stay for resend requests until space runs
 * out. Bounded: when full the oldest records go first, and every unsent sample that goes is counted
 * in `dropped`, which survives restarts.
 */
export interface Spool {
  /**
   * Makes the sample durable and resolves once it is (the disk sync runs off the event loop);
   * a failure drops it, counts it and reports the fault. Appends are applied in call order.
   */
  append(sample: SampleInput): Promise<Result<void, SpoolFault>>;
  /** Up to `max` unsent samples, oldest first or newest first. */
  unsent(order: 'oldest' | 'newest', max: number): readonly SampleInput[];
  /** Records that the broker acknowledged these samples. Unknown numbers are ignored. */
  markSent(seqs: readonly number[]): void;
  /** Held samples with `fromSeq <= seq <= toSeq` (sent or not), at most `max`, and what is gone. */
  range(fromSeq: number, toSeq: number, max: number): SpoolRange;
  /** The highest sequence number ever appended (-1 before the first): numbering resumes after it. */
  readonly lastSeq: number;
  /** Unsent samples held. */
  readonly depth: number;
  /** Unsent samples lost (spool full, disk full, unreadable records) since installation. */
  readonly dropped: number;
  /** The fault the last append met, or null once an append succeeds again. */
  readonly fault: SpoolFault | null;
  close(): void;
}

/** Merges sorted, distinct sequence numbers into inclusive ranges. */
export function toRanges(seqs: readonly number[]): SeqRange[] {
  const ranges: { fromSeq: number; toSeq: number }[] = [];
  for (const seq of seqs) {
    const last = ranges[ranges.length - 1];
    if (last !== undefined && last.toSeq + 1 === seq) last.toSeq = seq;
    else ranges.push({ fromSeq: seq, toSeq: seq });
  }
  return ranges;
}

/**
 * The gaps in `[fromSeq, toSeq]` not covered by the sorted `held` numbers, capped at `toSeq <= lastSeq`
 * (numbers not yet issued are not gone, they do not exist yet).
 */
export function goneRanges(fromSeq: number, toSeq: number, held: readonly number[], lastSeq: number): SeqRange[] {
  const gone: SeqRange[] = [];
  const end = Math.min(toSeq, lastSeq);
  let next = fromSeq;
  for (const seq of held) {
    if (seq > end) break;
    if (seq > next) gone.push({ fromSeq: next, toSeq: seq - 1 });
    next = Math.max(next, seq + 1);
  }
  if (next <= end) gone.push({ fromSeq: next, toSeq: end });
  return gone;
}
