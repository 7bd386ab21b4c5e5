/**
 * Payloads made to cost the most a payload may cost while staying within the protocol's limits
 * (docs/columnar.md, "Limits"): the most cells through the plain sample builder, a structure that
 * inflates to its limit, a whole day of samples, 8 MiB of JSON with a million values. The fuzzer's worst
 * figures come from these as much as from its mutations.
 */
import { brotliCompressSync, constants } from 'node:zlib';
import {
  MAX_COLUMNAR_CELLS,
  MAX_COLUMNAR_STRUCTURE_BYTES,
  MAX_DECOMPRESSED_BYTES,
  MAX_JSON_VALUES,
} from '@pantau/shared';
import { bitBytes, columnarPayload, text, varint } from '../codec/payload-parts.js';
import type { Rand } from './random.js';

const SAMPLES = 1440;
/** A full constant column of wallMs. */
const WALL = [3, 0, 3, 1];

function head(columns: number): number[] {
  return [1, ...text('limit'), ...varint(SAMPLES), ...varint(columns)];
}

/** As many cells as the limit allows, in spelled-out fields (so the plain builder places each one). */
const CELL_KINDS = ['constant', 'tagged', 'number'] as const;

function mostCells(kind: (typeof CELL_KINDS)[number]): Buffer {
  const columns = Math.floor(MAX_COLUMNAR_CELLS / SAMPLES);
  const structure = [...head(columns), ...WALL];
  const bits: string[] = [];
  for (let c = 1; c < columns; c++) {
    structure.push(0, ...text(JSON.stringify(['probes', `f${c}`])));
    if (kind === 'constant') structure.push(0, 6, ...text('constant'));
    else if (kind === 'tagged') {
      structure.push(3);
      for (let i = 0; i < SAMPLES; i++) structure.push(3, ...varint(i));
    } else {
      structure.push(1, 0);
      // Plain, divisor 1, minimum 0, width 0: every value 0 from 16 bits.
      bits.push('0 0 00 000000 000000');
    }
  }
  bits.push('000000');
  return columnarPayload(structure, bitBytes(bits.join('')));
}

/** A structure that inflates to just under its limit: tagged strings in every cell. */
function largestStructure(): Buffer {
  const columns = Math.floor(MAX_COLUMNAR_CELLS / SAMPLES);
  const perCell = Math.floor(MAX_COLUMNAR_STRUCTURE_BYTES / (columns * SAMPLES)) - 3;
  const cells = Buffer.concat(Array.from({ length: SAMPLES }, () => Buffer.from([6, ...text('s'.repeat(perCell))])));
  const parts = [Buffer.from([...head(columns), ...WALL])];
  for (let c = 1; c < columns; c++) parts.push(Buffer.from([0, ...text(JSON.stringify([`f${c}`])), 3]), cells);
  return columnarPayload(Buffer.concat(parts), bitBytes('000000'));
}

/** Close to a million JSON values in close to 8 MiB, Brotli-compressed to a few kilobytes. */
const JSON_ITEMS = [
  (width: number) => `"${'x'.repeat(width - 2)}"`,
  (width: number) => '1'.repeat(width),
  (width: number) => `{${' '.repeat(width - 2)}}`,
];

function mostJsonValues(which: number): Buffer {
  const values = MAX_JSON_VALUES - 16;
  const perValue = Math.floor(MAX_DECOMPRESSED_BYTES / values) - 1;
  const item = (JSON_ITEMS[which] as (width: number) => string)(perValue);
  const head = '{"v":1,"siteId":"kutim-sangatta-01","agentVersion":"x","sentAtMs":1,"samples":[';
  const text = `${head}${`${item},`.repeat(values - 1)}${item}]}`;
  const body = brotliCompressSync(Buffer.from(text), { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } });
  return Buffer.concat([Buffer.from([2]), body]);
}

/** Made once each: they take longer to build than to decode. */
const made = new Map<string, Buffer>();
function once(name: string, make: () => Buffer): { name: string; payload: Buffer } {
  let payload = made.get(name);
  if (payload === undefined) {
    payload = make();
    made.set(name, payload);
  }
  return { name, payload };
}

/** One of the costliest payloads within the limits. */
export function limitProbe(r: Rand, wholeDay: () => Buffer): { name: string; payload: Buffer } {
  switch (r.int(4)) {
    case 0: {
      const kind = r.pick(CELL_KINDS);
      return once(`limit: most cells, ${kind}`, () => mostCells(kind));
    }
    case 1:
      return once('limit: largest structure', largestStructure);
    case 2: {
      const item = r.int(JSON_ITEMS.length);
      return once(`limit: a million JSON values, item ${item}`, () => mostJsonValues(item));
    }
    default:
      return { name: 'limit: a whole day of samples', payload: wholeDay() };
  }
}
