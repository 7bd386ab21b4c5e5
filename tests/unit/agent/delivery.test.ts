import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CounterFile, createMemoryOutbox } from '@pantau/agent';
import { describe, expect, it } from 'vitest';

const sample = (seq: number) => ({ seq, bootId: 'b', wallMs: 0, clockSynced: false, uptimeMs: 0 });

describe('CounterFile', () => {
  it('hands out growing numbers that survive a restart', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'pantau-counter-')), 'state', 'seq');
    const first = new CounterFile(path);
    expect([first.next(), first.next(), first.next()]).toEqual([0, 1, 2]);
    const again = new CounterFile(path);
    expect(again.last).toBe(2);
    expect(again.next()).toBe(3);
    expect(readFileSync(path, 'utf8')).toBe('3\n');
  });

  it('refuses a corrupt counter rather than reuse numbers', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'pantau-counter-')), 'seq');
    writeFileSync(path, 'not a number');
    expect(() => new CounterFile(path)).toThrow(/does not hold a counter/);
  });
});

describe('memory outbox', () => {
  it('keeps samples until acknowledged, oldest first', () => {
    const outbox = createMemoryOutbox(10);
    for (const seq of [1, 2, 3]) outbox.add(sample(seq));
    expect(outbox.peek(2).map((s) => s.seq)).toEqual([1, 2]);
    outbox.ack(2);
    expect(outbox.peek(10).map((s) => s.seq)).toEqual([3]);
    expect(outbox.depth).toBe(1);
  });

  it('drops the oldest when full, and counts the drops', () => {
    const outbox = createMemoryOutbox(2);
    for (const seq of [1, 2, 3, 4]) outbox.add(sample(seq));
    expect(outbox.peek(10).map((s) => s.seq)).toEqual([3, 4]);
    expect(outbox.dropped).toBe(2);
  });
});
