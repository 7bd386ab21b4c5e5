/**
 * The format-level vector batches (tests/interop/vectors/format-*.json): any JSON samples, packed as
 * they are, for codings the schema never makes (constants of every tag in spelled-out fields, every
 * scale, a reference 16 columns back, a column of mixed types).
 */
import { seeded } from '../seeded.js';
import type { VectorBatch } from './vector-batches.js';

export function formatConstants(): VectorBatch {
  const sample = (seq: number) => ({
    seq,
    bootId: 'b',
    wallMs: 1000 + seq,
    clockSynced: true,
    uptimeMs: 5,
    probes: {},
    extra: { big: 2 ** 53 - 1, minusZero: 0, tiny: 5e-324, huge: 1e21, empty: [], emptyObject: {}, text: 'naïve ✓' },
  });
  return {
    name: 'format-constants',
    description:
      'Constants of every tag in spelled-out fields, among them an empty object, the largest varint and floats ' +
      'at the edges of binary64.',
    kind: 'format',
    agentVersion: 'format',
    sentAtMs: 999,
    samples: [0, 1].map(sample),
  };
}

export function scales(): VectorBatch {
  const random = seeded(12);
  const samples = Array.from({ length: 6 }, (_, i) => {
    const extra: Record<string, number> = {};
    for (let s = 0; s <= 9; s++) extra[`s${s}`] = Math.round(random() * 10 ** (s + 2)) / 10 ** s + (s === 0 ? 1 : 0);
    return { seq: i, bootId: 'b', wallMs: 1_000_000 + i * 1000, clockSynced: true, uptimeMs: i, scaled: extra };
  });
  return {
    name: 'format-scales',
    description: 'One number column at each decimal scale, 0 to 9.',
    kind: 'format',
    agentVersion: 'format',
    sentAtMs: 1_006_000,
    samples,
  };
}

export function references(): VectorBatch {
  const random = seeded(14);
  const samples = Array.from({ length: 8 }, (_, i) => {
    const anchor = Math.round(random() * 1e9);
    const columns: Record<string, number> = { a00: anchor };
    for (let c = 1; c <= 15; c++) columns[`a${String(c).padStart(2, '0')}`] = Math.round(random() * 1e12);
    columns.a16 = anchor + Math.round(random() * 3);
    return { seq: i, bootId: 'b', wallMs: 5_000 + i, clockSynced: false, uptimeMs: 1, refs: columns };
  });
  return {
    name: 'format-reference-16',
    description: 'A column coded against the number column 16 columns back, the farthest a reference reaches.',
    kind: 'format',
    agentVersion: 'format',
    sentAtMs: 5_000,
    samples,
  };
}

export function formatMixed(): VectorBatch {
  const column = [true, -7, 'x', null, 2.5, [], {}, false, 3];
  return {
    name: 'format-mixed',
    description: 'A tagged column holding every tag, a partial tagged column and a lone boolean column.',
    kind: 'format',
    agentVersion: 'format',
    sentAtMs: 100,
    samples: column.map((value, i) => ({
      seq: i,
      bootId: 'b',
      wallMs: 100 + i,
      clockSynced: i % 2 === 0,
      uptimeMs: 1,
      mixed: value,
      ...(i % 3 === 0 ? { sometimes: i === 3 ? 'three' : i } : {}),
    })),
  };
}
