import { ok, type SampleInput } from '@pantau/shared';
import { goneRanges, type Spool } from './spool.js';

/** The spool in memory, for unit tests and for a site without a writable disk. Same contract. */
export function createMemorySpool(maxSamples: number): Spool {
  /** Sorted by seq (appends only grow). */
  const records: { sample: SampleInput; sent: boolean }[] = [];
  let dropped = 0;
  let depth = 0;
  let lastSeq = -1;

  return {
    async append(sample) {
      records.push({ sample, sent: false });
      depth += 1;
      lastSeq = Math.max(lastSeq, sample.seq);
      while (records.length > maxSamples) {
        const oldest = records.shift();
        if (oldest !== undefined && !oldest.sent) {
          dropped += 1;
          depth -= 1;
        }
      }
      return ok(undefined);
    },
    unsent(order, max) {
      const out: SampleInput[] = [];
      const n = records.length;
      for (let i = 0; i < n && out.length < max; i++) {
        const r = records[order === 'oldest' ? i : n - 1 - i];
        if (r !== undefined && !r.sent) out.push(r.sample);
      }
      return out;
    },
    markSent(seqs) {
      const wanted = new Set(seqs);
      for (const r of records) {
        if (!r.sent && wanted.has(r.sample.seq)) {
          r.sent = true;
          depth -= 1;
        }
      }
    },
    range(fromSeq, toSeq, max) {
      const held = records.filter((r) => r.sample.seq >= fromSeq && r.sample.seq <= toSeq).slice(0, max);
      const samples = held.map((r) => r.sample);
      const seqs = samples.map((s) => s.seq);
      // Beyond `max`, the rest is neither sent nor gone: the caller asks again.
      const horizon = held.length === max ? (seqs[seqs.length - 1] ?? toSeq) : toSeq;
      return { samples, gone: goneRanges(fromSeq, horizon, seqs, lastSeq) };
    },
    get lastSeq() {
      return lastSeq;
    },
    get depth() {
      return depth;
    },
    get dropped() {
      return dropped;
    },
    fault: null,
    close() {},
  };
}
