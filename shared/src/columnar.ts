/**
 * The binary columnar form of a telemetry batch (marker 0x04, codec.ts). One column per leaf field
 * across the samples; each column is coded by what its values are:
 * - constant across the batch (a host, a source, `error: null`): the value once;
 * - numbers: exact integers, bit-packed (columnar-numbers.ts);
 * - booleans: one bit each; anything else (strings that change, odd floats): each value tagged.
 *
 * The payload is two streams. The structure (site, version, which columns, their kinds and
 * constants) is byte-aligned and deflated with a preset dictionary (columnar-dictionary.ts): from one
 * batch to the next it barely changes, so it costs a few bytes. The values are a bit stream that is
 * not compressed further: bit-packed jittery measurements are already close to their entropy and
 * DEFLATE would only add its framing.
 *
 *   payload = varint(structure deflated length) | deflated structure | value bits
 *   structure = varint v | string agentVersion | varint n | varint columns |
 *               per column: varint field (index + 1 in COLUMNAR_FIELDS_V1, or 0 and the path as
 *               JSON) | byte kind (+4 when some samples lack the field) | kind's parameters
 *   value bits = per column: [presence bit per sample] [null bit per present value] values |
 *                sentAtMs as a difference from the first sample's wallMs
 *
 * The site id is not in the payload: the topic names the site (`<root>/site/<siteId>/telemetry`),
 * and the decoder is given it from there; 15-20 bytes a batch that the dictionary could not hold.
 *
 * Decoding gives exactly what was encoded: every coding is checked by decoding it before it is used.
 */
import { BitReader, BitWriter, ByteReader, ByteWriter, MalformedInput, unzigzag, zigzag } from './bit-io.js';
import { type Column, collectColumns, type Json, type Path } from './columnar-columns.js';
import { COLUMNAR_FIELDS_V1, type FieldPath } from './columnar-fields.js';
import {
  type EncodedNumberColumn,
  MAX_SCALE,
  type NumberColumn,
  readNumbers,
  scaleOf,
  writeNumbers,
} from './columnar-numbers.js';
import { buildSamples, type DecodedColumn } from './columnar-samples.js';

const KIND = { constant: 0, number: 1, boolean: 2, tagged: 3 } as const;
const TAG = { null: 0, false: 1, true: 2, int: 3, negInt: 4, float: 5, string: 6, emptyArray: 7, emptyObject: 8 };
const MAX_COLUMNS = 10_000;
const MAX_SAMPLES = 100_000;

const fieldIndex = new Map(COLUMNAR_FIELDS_V1.map((path, i) => [JSON.stringify(path), i]));

export interface ColumnarHead {
  readonly v: number;
  readonly agentVersion: string;
  readonly sentAtMs: number;
}

function writeTagged(out: ByteWriter, value: Json): void {
  if (value === null) out.byte(TAG.null);
  else if (typeof value === 'boolean') out.byte(value ? TAG.true : TAG.false);
  else if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) {
      out.byte(value >= 0 ? TAG.int : TAG.negInt);
      out.varint(Math.abs(value));
    } else {
      out.byte(TAG.float);
      out.float64(value);
    }
  } else if (typeof value === 'string') {
    out.byte(TAG.string);
    out.string(value);
  } else out.byte(Array.isArray(value) ? TAG.emptyArray : TAG.emptyObject);
}

function readTagged(input: ByteReader): Json {
  const tag = input.byte();
  switch (tag) {
    case TAG.null:
      return null;
    case TAG.false:
      return false;
    case TAG.true:
      return true;
    case TAG.int:
      return input.varint();
    case TAG.negInt:
      return -input.varint();
    case TAG.float: {
      const value = input.float64();
      // JSON has no NaN or Infinity: nothing valid ever encodes them.
      if (!Number.isFinite(value)) throw new MalformedInput('not a finite number');
      return value;
    }
    case TAG.string:
      return input.string();
    case TAG.emptyArray:
      return [];
    case TAG.emptyObject:
      return {};
    default:
      throw new MalformedInput(`unknown value tag ${tag}`);
  }
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
  const presence = partial ? 4 : 0;
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
    structure.byte(scale | (hasNulls << 5));
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

/**
 * Encodes a batch already validated by its schema. Returns the structure (to be deflated by the
 * caller) and the value bits, kept apart so each is compressed the way that suits it.
 */
export function encodeColumnar(head: ColumnarHead, samples: readonly unknown[]): { structure: Buffer; values: Buffer } {
  const columns = collectColumns(samples);
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
  return { structure: structure.toBuffer(), values: bits.toBuffer() };
}

/** What every column of one batch shares while it is decoded. */
interface DecodeState {
  readonly n: number;
  readonly structure: ByteReader;
  readonly bits: BitReader;
  readonly earlier: NumberColumn[];
  /** `0, 1, ..., n - 1`: the rows of a column every sample has, shared rather than built per column. */
  readonly allRows: readonly number[];
  /** `allRows` joined with commas: the reference key of a column with every sample's value. */
  readonly allRowsKey: string;
}

function fieldPath(structure: ByteReader): { ref: number; path: FieldPath } {
  const ref = structure.varint();
  let path: FieldPath | undefined;
  if (ref === 0) {
    const parsed: unknown = JSON.parse(structure.string());
    if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every(isSafeSegment)) {
      throw new MalformedInput('bad field path');
    }
    path = parsed as Path;
  } else path = COLUMNAR_FIELDS_V1[ref - 1];
  if (path === undefined) throw new MalformedInput(`unknown field ${ref}`);
  return { ref, path };
}

/**
 * Reads one column: which samples have it and their values. Written with plain loops and without a
 * list per column where it can: the collector decodes every batch through here (its hot loop).
 */
function decodeColumn(state: DecodeState): DecodedColumn {
  const { n, structure, bits } = state;
  const { ref, path } = fieldPath(structure);
  const header = structure.byte();
  const kind = header & 3;
  if (header & ~7) throw new MalformedInput(`bad column header ${header}`);
  let rows = state.allRows;
  if (header & 4) {
    const some: number[] = [];
    for (let row = 0; row < n; row++) if (bits.bits(1) === 1) some.push(row);
    rows = some;
  }
  const count = rows.length;
  const full = (header & 4) === 0;
  const values = new Array<Json>(count);
  if (kind === KIND.constant) {
    const value = readTagged(structure);
    // An empty array or object is a fresh one in each sample, as JSON.parse would give.
    const fresh = typeof value === 'object' && value !== null;
    for (let j = 0; j < count; j++) values[j] = fresh ? (Array.isArray(value) ? [] : {}) : value;
    return { ref, path, rows, full, values };
  }
  if (kind === KIND.tagged) {
    for (let j = 0; j < count; j++) values[j] = readTagged(structure);
    return { ref, path, rows, full, values };
  }
  const params = structure.byte();
  const hasNulls = kind === KIND.boolean ? params === 1 : (params & 0x20) !== 0;
  const valid = kind === KIND.boolean ? params <= 1 : (params & 0xd0) === 0 && (params & 0x0f) <= MAX_SCALE;
  if (!valid) throw new MalformedInput(`bad column parameters ${params}`);
  let isNull: boolean[] | undefined;
  let present = count;
  if (hasNulls) {
    isNull = new Array<boolean>(count);
    for (let j = 0; j < count; j++) {
      const x = bits.bits(1) === 1;
      isNull[j] = x;
      if (x) present--;
    }
  }
  let numbers: number[] | undefined;
  if (kind !== KIND.boolean) {
    let key = state.allRowsKey;
    if (isNull !== undefined || count !== n) {
      key = '';
      for (let j = 0; j < count; j++) {
        if (isNull?.[j] === true) continue;
        key = key === '' ? String(rows[j]) : `${key},${rows[j]}`;
      }
    }
    numbers = readNumbers(bits, present, params & 0x0f, key, state.earlier);
    state.earlier.push({ rowsKey: key, values: numbers });
  }
  let next = 0;
  for (let j = 0; j < count; j++) {
    let value: Json = null;
    if (isNull?.[j] !== true) value = numbers === undefined ? bits.bits(1) === 1 : (numbers[next++] as number);
    values[j] = value;
  }
  return { ref, path, rows, full, values };
}

/**
 * Rebuilds the plain form of a batch from its (inflated) structure and value bits. Throws
 * MalformedInput for anything that does not decode; what does decode still meets the schema check.
 */
export function decodeColumnar(
  structureBytes: Uint8Array,
  valueBytes: Uint8Array,
  siteId: string | undefined,
): unknown {
  const structure = new ByteReader(structureBytes);
  const bits = new BitReader(valueBytes);
  const v = structure.varint();
  const agentVersion = structure.string();
  const n = structure.varint();
  const columnCount = structure.varint();
  if (n > MAX_SAMPLES || columnCount > MAX_COLUMNS) throw new MalformedInput('too many samples or columns');
  const allRows: number[] = [];
  for (let row = 0; row < n; row++) allRows.push(row);
  const state: DecodeState = { n, structure, bits, earlier: [], allRows, allRowsKey: allRows.join(',') };
  const columns: DecodedColumn[] = [];
  for (let c = 0; c < columnCount; c++) columns.push(decodeColumn(state));
  if (!structure.done) throw new MalformedInput('bytes after the last column');
  const samples = buildSamples(n, columns);
  const firstWallMs = samples[0]?.wallMs;
  if (typeof firstWallMs !== 'number') throw new MalformedInput('no wallMs to date the batch by');
  const sentAtMs = firstWallMs + unzigzag(bits.long());
  if (bits.unreadBytes !== 0) throw new MalformedInput('bits after the last value');
  return { v, siteId, agentVersion, sentAtMs, samples };
}

/** A path segment that cannot reach an object's prototype or make a huge sparse array. */
function isSafeSegment(segment: unknown): boolean {
  if (typeof segment === 'number') return Number.isSafeInteger(segment) && segment >= 0 && segment < 10_000;
  return typeof segment === 'string' && segment !== '__proto__' && segment !== 'constructor' && segment !== 'prototype';
}
