/**
 * Mutations that know the columnar form (docs/columnar.md): inflated counts, swapped kinds, fields,
 * parameters and tags, columns repeated, dropped or taken from another batch, value bits damaged;
 * then the structure is deflated again with the dictionary, so the decoder reads the damage rather
 * than stopping at a broken DEFLATE stream.
 */
import { deflateRawSync } from 'node:zlib';
import { columnarParts, DICTIONARY, text, varint } from '../codec/payload-parts.js';
import type { Rand } from './random.js';
import { mapStructure, type StructureMap } from './structure-map.js';

const BIG = [0, 1, 2, 7, 8, 150, 151, 511, 512, 513, 1440, 1441, 65_535, 100_000, 262_144, 2 ** 31, 2 ** 53 - 1];
const PATHS = [
  '["probes","latency","targets",8,"role"]',
  '["probes","latency","targets",511,"x"]',
  '["probes","latency","targets",512,"x"]',
  '["a","b","c","d","e","f","g","h"]',
  '["a","b","c","d","e","f","g","h","i"]',
  '["__proto__","polluted"]',
  '["constructor","prototype"]',
  '["toString"]',
  '["wallMs","x"]',
  '["probes",0]',
  '[ "seq"]',
  '["seq"]',
  '[]',
  '{}',
  '[1e2]',
  '["\\u0061"]',
  'not json',
];

const splice = (bytes: Buffer, from: number, to: number, insert: readonly number[] | Buffer) =>
  Buffer.concat([bytes.subarray(0, from), Buffer.from(insert), bytes.subarray(to)]);

function pack(structure: Buffer, values: Buffer, r: Rand): Buffer {
  const deflated = deflateRawSync(structure, { level: 1 + r.int(9), dictionary: DICTIONARY });
  const length = r.chance(0.03) ? deflated.byteLength + r.int(5) - 2 : deflated.byteLength;
  return Buffer.concat([Buffer.from([4, ...varint(Math.max(0, length))]), deflated, values]);
}

function mutateStructure(s: Buffer, map: StructureMap, r: Rand, other: StructureMap & { s: Buffer }): [string, Buffer] {
  const column = map.columns.length > 0 ? r.pick(map.columns) : undefined;
  const choice = column === undefined ? r.int(2) : r.int(11);
  switch (choice) {
    case 0:
      return ['sample count', splice(s, map.samplesAt, map.samplesEnd, varint(r.pick(BIG)))];
    case 1:
      return ['column count', splice(s, map.columnsAt, map.columnsEnd, varint(r.pick(BIG)))];
  }
  const c = column as NonNullable<typeof column>;
  switch (choice) {
    case 2: {
      const header = s[c.headerAt] as number;
      const swapped = r.chance(0.7) ? (header & ~3) | r.int(4) : r.chance(0.5) ? header ^ 4 : r.int(256);
      return ['kind swap', splice(s, c.headerAt, c.headerAt + 1, [swapped])];
    }
    case 3: {
      const field = r.chance(0.5)
        ? varint(1 + r.int(150))
        : r.chance(0.5)
          ? [0, ...text(r.pick(PATHS))]
          : varint(r.pick(BIG));
      return ['field swap', splice(s, c.fieldAt, c.fieldEnd, field)];
    }
    case 4: {
      if (c.paramAt === null)
        return [
          'field duplicate',
          splice(s, c.fieldAt, c.fieldEnd, s.subarray(map.columns[0]?.fieldAt ?? 0, map.columns[0]?.fieldEnd ?? 0)),
        ];
      return [
        'parameter',
        splice(s, c.paramAt, c.paramAt + 1, [r.chance(0.5) ? r.int(16) | (r.int(2) << 5) : r.int(256)]),
      ];
    }
    case 5: {
      if (c.tagsAt.length === 0) return ['header byte', splice(s, c.headerAt, c.headerAt + 1, [r.int(256)])];
      const at = r.pick(c.tagsAt);
      return ['tag swap', splice(s, at, at + 1, [r.int(12)])];
    }
    case 6: {
      const times = r.chance(0.3) ? 1 + r.int(1000) : 1 + r.int(4);
      const bytes = s.subarray(c.fieldAt, c.end);
      const repeated = Buffer.concat(Array.from({ length: times }, () => bytes));
      const grown = splice(s, c.end, c.end, repeated);
      const count = map.columns.length + times;
      const samples = r.chance(0.5) ? 1440 : map.samples;
      // Counts rewritten from the back, so the offsets before them still hold.
      const withColumns = splice(grown, map.columnsAt, map.columnsEnd, varint(count));
      return ['column repeated', splice(withColumns, map.samplesAt, map.samplesEnd, varint(samples))];
    }
    case 7:
      return ['column dropped', splice(s, c.fieldAt, c.end, [])];
    case 8: {
      const theirs = other.columns.length > 0 ? r.pick(other.columns) : undefined;
      if (theirs === undefined) return ['no foreign column', s];
      return ['foreign column', splice(s, c.fieldAt, c.end, other.s.subarray(theirs.fieldAt, theirs.end))];
    }
    case 9: {
      const at = map.columnsEnd + r.int(Math.max(1, s.length - map.columnsEnd));
      return ['structure byte', splice(s, at, at + 1, [r.int(256)])];
    }
    default: {
      const at = r.int(s.length);
      return ['structure truncated', s.subarray(0, at)];
    }
  }
}

function mutateValues(v: Buffer, r: Rand): [string, Buffer] {
  const bits = Buffer.from(v);
  switch (r.int(5)) {
    case 0: {
      for (let i = 0, n = 1 + r.int(6); i < n && bits.length > 0; i++) {
        const p = r.int(bits.length);
        bits[p] = (bits[p] ?? 0) ^ (1 << r.int(8));
      }
      return ['value bit flips', bits];
    }
    case 1: {
      const p = r.int(Math.max(1, bits.length));
      bits.fill(0xff, p, Math.min(bits.length, p + 1 + r.int(8)));
      return ['value bits all ones', bits];
    }
    case 2:
      return ['value bits truncated', bits.subarray(0, r.int(bits.length + 1))];
    case 3:
      return [
        'value bits extended',
        Buffer.concat([bits, Buffer.from(Array.from({ length: 1 + r.int(4) }, () => r.int(256)))]),
      ];
    default: {
      const p = r.int(Math.max(1, bits.length));
      bits.fill(0, p, Math.min(bits.length, p + 1 + r.int(16)));
      return ['value bits zeroed', bits];
    }
  }
}

/** One mutation of a valid columnar payload, `other` a second one to take columns from. */
export function mutateColumnar(payload: Buffer, other: Buffer, r: Rand): { name: string; payload: Buffer } {
  const { structure, values } = columnarParts(payload);
  const map = mapStructure(structure);
  const theirs = columnarParts(other).structure;
  let s = structure;
  let v = values;
  const names: string[] = [];
  const rounds = 1 + (r.chance(0.3) ? r.int(3) : 0);
  for (let i = 0; i < rounds; i++) {
    if (r.chance(0.7)) {
      const [name, mutated] = mutateStructure(s, i === 0 ? map : safeMap(s, map), r, {
        ...mapStructure(theirs),
        s: theirs,
      });
      names.push(name);
      s = mutated;
    } else {
      const [name, mutated] = mutateValues(v, r);
      names.push(name);
      v = mutated;
    }
  }
  return { name: names.join(' + '), payload: pack(s, v, r) };
}

/** A mutated structure's map when it can still be walked; otherwise the first one's head only. */
function safeMap(s: Buffer, fallback: StructureMap): StructureMap {
  try {
    return mapStructure(s);
  } catch {
    return { ...fallback, columns: [] };
  }
}
