import type { Spool } from '@pantau/agent';
import { sampleSchema } from '@pantau/shared';
import { describe, expect, it } from 'vitest';

export const sample = (seq: number) => ({
  seq,
  bootId: 'boot-1',
  wallMs: 1_800_000_000_000 + seq * 60_000,
  clockSynced: true,
  uptimeMs: seq * 60_000,
  probes: { uptime: { systemUptimeMs: seq, agentUptimeMs: seq, error: null } },
});

export async function appendAll(spool: Spool, seqs: Iterable<number>): Promise<void> {
  for (const seq of seqs) {
    const result = await spool.append(sample(seq));
    if (!result.ok) throw new Error(`append ${seq}: ${result.message}`);
  }
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/**
 * The behaviour every Spool implementation promises, run against each one. `open(maxSamples)` gives
 * a fresh, empty spool; a file spool uses small segments so that trimming shows at small sizes.
 */
export function spoolContract(name: string, open: (maxSamples: number) => Spool): void {
  describe(`Spool contract: ${name}`, () => {
    it('starts empty', async () => {
      const spool = open(100);
      expect(spool).toMatchObject({ lastSeq: -1, depth: 0, dropped: 0, fault: null });
      expect(spool.unsent('oldest', 10)).toEqual([]);
    });

    it('gives back what it was given, whole, oldest or newest first', async () => {
      const spool = open(100);
      await appendAll(spool, range(0, 9));
      // Whole: the same sample as the wire contract reads it (defaults filled in).
      const whole = (seq: number) => sampleSchema.parse(sample(seq));
      expect(spool.unsent('oldest', 3).map((s) => sampleSchema.parse(s))).toEqual([whole(0), whole(1), whole(2)]);
      expect(spool.unsent('newest', 3).map((s) => s.seq)).toEqual([9, 8, 7]);
      expect(spool).toMatchObject({ lastSeq: 9, depth: 10 });
    });

    it('keeps a sample unsent until it is marked sent, in any order', async () => {
      const spool = open(100);
      await appendAll(spool, range(0, 9));
      spool.markSent([9, 8, 2]);
      spool.markSent([8, 42]); // again, and unknown: no effect
      expect(spool.depth).toBe(7);
      expect(spool.unsent('oldest', 100).map((s) => s.seq)).toEqual([0, 1, 3, 4, 5, 6, 7]);
      expect(spool.unsent('newest', 2).map((s) => s.seq)).toEqual([7, 6]);
    });

    it('answers a range with what it holds, sent or not, and names the rest gone', async () => {
      const spool = open(100);
      await appendAll(spool, [...range(10, 14), ...range(20, 22)]);
      spool.markSent([10, 11]);
      const answer = spool.range(5, 30, 1000);
      expect(answer.samples.map((s) => s.seq)).toEqual([10, 11, 12, 13, 14, 20, 21, 22]);
      // 23..30 have not been issued yet: they are not gone, they do not exist.
      expect(answer.gone).toEqual([
        { fromSeq: 5, toSeq: 9 },
        { fromSeq: 15, toSeq: 19 },
      ]);
    });

    it('answers at most `max` samples of a range, and calls nothing beyond them gone', async () => {
      const spool = open(100);
      await appendAll(spool, range(0, 9));
      const answer = spool.range(0, 9, 4);
      expect(answer.samples.map((s) => s.seq)).toEqual([0, 1, 2, 3]);
      expect(answer.gone).toEqual([]);
    });

    it('when full, drops the oldest, counts the unsent ones it dropped, keeps the newest', async () => {
      const spool = open(10);
      await appendAll(spool, range(0, 39));
      const held = spool.range(0, 39, 1000).samples.map((s) => s.seq);
      expect(held.length).toBeGreaterThanOrEqual(10);
      expect(held).toEqual(range(40 - held.length, 39));
      expect(spool.dropped).toBe(40 - held.length);
      expect(spool.depth + spool.dropped).toBe(40);
    });

    it('does not count sent samples it trims as dropped', async () => {
      const spool = open(10);
      for (const seq of range(0, 39)) {
        await appendAll(spool, [seq]);
        spool.markSent([seq]);
      }
      expect(spool.dropped).toBe(0);
      expect(spool.depth).toBe(0);
    });
  });
}
