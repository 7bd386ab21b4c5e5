/**
 * The binary columnar form of a telemetry batch (marker 0x04; docs/columnar.md is its specification).
 * One column per leaf field across the samples; each column is coded by what its values are:
 * - constant across the batch (a host, a source, `error: null`): the value once;
 * - numbers: exact integers, bit-packed (numbers.ts);
 * - booleans: one bit each; anything else (strings that change, odd floats): each value tagged.
 *
 * The payload is two streams. The structure (version, which columns, their kinds and constants) is
 * byte-aligned and deflated with a preset dictionary (dictionary.ts): from one batch to the next it
 * barely changes, so it costs a few bytes. The values are a bit stream that is not compressed
 * further: bit-packed jittery measurements are already close to their entropy and DEFLATE would only
 * add its framing. The site id is not in the payload: the topic names the site.
 *
 * Decoding gives exactly what was encoded: every coding is checked by decoding it before it is used.
 */
import { BitWriter, ByteWriter, zigzag } from '../bit-io.js';
import {
  MAX_COLUMNAR_CELLS,
  MAX_COLUMNAR_COLUMNS,
  MAX_COLUMNAR_SAMPLES,
  MAX_COLUMNAR_STRUCTURE_BYTES,
} from '../limits.js';
import { type Column, collectColumns, type Json } from './columns.js';
import { COLUMNAR_FIELDS_V1 } from './fields.js';
import { KIND, NUMBER_NULLS, PARTIAL, writeTagged } from './format.js';
import { type EncodedNumberColumn, scaleOf, writeNumbers } from './numbers.js';
import { isSpellable } from './paths.js';

const fieldIndex = new Map(COLUMNAR_FIELDS_V1.map((path, i) => [JSON.stringify(path), i]));

export interface ColumnarHead {
  readonly v: number;
  readonly agentVersion: string;
  readonly sentAtMs: number;
}

/** The samples that have a non-null value in a column, as a key to match reference columns by. */
function rowsKey(rows: readonly number[], values: readonly Json[]): string {
  let key = '';
  for (let j = 0; j < rows.length; j++) {
    if (values[j] === null) continue;
    key = key === '' ? String(rows[j]) : `${key},${rows[j]}`;
  }
  return key;
}

/**
 * Whether two leaf values have the same JSON text, without writing it: numbers compare by value
 * (JSON writes 0 and -0 alike, and distinct numbers differently), and an empty array or object
 * equals only its own kind.
 */
function sameJson(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return Array.isArray(a) === Array.isArray(b);
}

/** A presence bit per sample, when some samples lack the field. `rows` are in order. */
function writePresence(bits: BitWriter, rows: readonly number[], n: number): void {
  if (rows.length === n) return;
  let next = 0;
  for (let row = 0; row < n; row++) {
    const has = rows[next] === row;
    if (has) next++;
    bits.bits(has ? 1 : 0, 1);
  }
}

/** A null bit per value present. */
function writeNulls(bits: BitWriter, values: readonly Json[]): void {
  for (const v of values) bits.bits(v === null ? 1 : 0, 1);
}

function encodeColumn(
  column: Column,
  n: number,
  allRows: string,
  structure: ByteWriter,
  bits: BitWriter,
  numbers: EncodedNumberColumn[],
): void {
  const index = fieldIndex.get(JSON.stringify(column.path));
  structure.varint(index === undefined ? 0 : index + 1);
  if (index === undefined) structure.string(JSON.stringify(column.path));
  const { rows, values } = column;
  const partial = rows.length < n;
  const presence = partial ? PARTIAL : 0;
  // What the values are, from one pass: the same JSON throughout, and whether the non-null ones
  // are all booleans or all numbers.
  const first = values[0] ?? null;
  let same = true;
  let nulls = 0;
  let booleans = 0;
  let numbersSeen = 0;
  for (const v of values) {
    if (same && !sameJson(v, first)) same = false;
    if (v === null) nulls++;
    else if (typeof v === 'boolean') booleans++;
    else if (typeof v === 'number') numbersSeen++;
  }
  const presentCount = values.length - nulls;
  // A lone number is cheaper bit-packed than as a constant (unless the dictionary holds it, which
  // for a measurement it rarely does).
  const lone = values.length === 1 && typeof first === 'number';
  if (!lone && same) {
    structure.byte(KIND.constant | presence);
    writeTagged(structure, first);
    writePresence(bits, rows, n);
    return;
  }
  const hasNulls = nulls > 0 ? 1 : 0;
  if (booleans === presentCount) {
    structure.byte(KIND.boolean | presence);
    structure.byte(hasNulls);
    writePresence(bits, rows, n);
    if (hasNulls) writeNulls(bits, values);
    for (const v of values) if (v !== null) bits.bits(v ? 1 : 0, 1);
    return;
  }
  const present = nulls > 0 ? (values.filter((v) => v !== null) as number[]) : (values as number[]);
  const scale = numbersSeen === presentCount ? scaleOf(present) : null;
  if (scale !== null) {
    structure.byte(KIND.number | presence);
    structure.byte(scale | (hasNulls * NUMBER_NULLS));
    writePresence(bits, rows, n);
    if (hasNulls) writeNulls(bits, values);
    // Most columns have every sample's value: their key is the same string every time.
    const key = partial || hasNulls ? rowsKey(rows, values) : allRows;
    numbers.push(writeNumbers(bits, present, scale, key, numbers));
    return;
  }
  structure.byte(KIND.tagged | presence);
  writePresence(bits, rows, n);
  for (const v of values) writeTagged(structure, v);
}

/** Whether a batch's columns fit the protocol's limits, so that any decoder accepts them. */
function withinLimits(columns: readonly Column[], n: number): boolean {
  if (n > MAX_COLUMNAR_SAMPLES || columns.length > MAX_COLUMNAR_COLUMNS) return false;
  let cells = 0;
  for (const c of columns) {
    cells += c.rows.length;
    if (!fieldIndex.has(JSON.stringify(c.path)) && !isSpellable(c.path)) return false;
  }
  return cells <= MAX_COLUMNAR_CELLS;
}

/**
 * Encodes a batch already validated by its schema. Returns the structure (to be deflated by the
 * caller) and the value bits, kept apart so each is compressed the way that suits it; or null when
 * the batch is past the columnar limits (the caller then sends it in another encoding).
 */
export function encodeColumnar(
  head: ColumnarHead,
  samples: readonly unknown[],
): { structure: Buffer; values: Buffer } | null {
  const columns = collectColumns(samples);
  if (!withinLimits(columns, samples.length)) return null;
  const structure = new ByteWriter();
  const bits = new BitWriter();
  structure.varint(head.v);
  structure.string(head.agentVersion);
  structure.varint(samples.length);
  structure.varint(columns.length);
  const numbers: EncodedNumberColumn[] = [];
  const allRows = Array.from({ length: samples.length }, (_, row) => row).join(',');
  for (const column of columns) encodeColumn(column, samples.length, allRows, structure, bits, numbers);
  const firstWallMs = (samples[0] as { wallMs: number }).wallMs;
  bits.long(zigzag(head.sentAtMs - firstWallMs));
  const bytes = structure.toBuffer();
  if (bytes.byteLength > MAX_COLUMNAR_STRUCTURE_BYTES) return null;
  return { structure: bytes, values: bits.toBuffer() };
}
