/**
 * Decodes a columnar batch from its inflated structure and its value bits (docs/columnar.md).
 * Every count a payload declares is checked against the protocol's limits (limits.ts) before
 * anything is made for it, so the work is bounded by the payload's bytes, its structure's bytes
 * and the cells limit, whatever it declares.
 */
import { BitReader, ByteReader, MalformedInput, overLimit, unzigzag } from '../bit-io.js';
import { MAX_COLUMNAR_CELLS, MAX_COLUMNAR_COLUMNS, MAX_COLUMNAR_SAMPLES } from '../limits.js';
import type { Json } from './columns.js';
import { COLUMNAR_FIELDS_V1, type FieldPath } from './fields.js';
import { KIND, MAX_SCALE, NUMBER_NULLS, NUMBER_RESERVED, PARTIAL, readTagged, SCALE_MASK } from './format.js';
import { parsePath } from './paths.js';
import { type DecodedNumbers, readNumbers } from './read-numbers.js';
import { buildSamples, type DecodedColumn, type SampleBuilder } from './samples.js';

/** What every column of one batch shares while it is decoded. */
interface DecodeState {
  readonly n: number;
  readonly structure: ByteReader;
  readonly bits: BitReader;
  readonly earlier: DecodedNumbers[];
  /** `0, 1, ..., n - 1`: the rows of a column every sample has, shared rather than built per column. */
  readonly allRows: readonly number[];
  /** Cells (values, one per row of each column) so far: checked against the limit before each column's. */
  cells: number;
}

function fieldPath(structure: ByteReader): { ref: number; path: FieldPath } {
  const ref = structure.varint();
  if (ref === 0) return { ref, path: parsePath(structure.string()) };
  const path = COLUMNAR_FIELDS_V1[ref - 1];
  if (path === undefined) throw new MalformedInput(`unknown field ${ref}`);
  return { ref, path };
}

/** The samples that have the field: a presence bit each when the column is partial. */
function readRows(state: DecodeState, partial: boolean): readonly number[] {
  if (!partial) return state.allRows;
  const some: number[] = [];
  for (let row = 0; row < state.n; row++) if (state.bits.bits(1) === 1) some.push(row);
  return some;
}

/**
 * Reads one column: which samples have it and their values. Written with plain loops and without a
 * list per column where it can: the collector decodes every batch through here (its hot loop).
 */
function decodeColumn(state: DecodeState): DecodedColumn {
  const { structure, bits } = state;
  const { ref, path } = fieldPath(structure);
  const header = structure.byte();
  const kind = header & 3;
  if (header & ~7) throw new MalformedInput(`bad column header ${header}`);
  const full = (header & PARTIAL) === 0;
  const rows = readRows(state, !full);
  const count = rows.length;
  state.cells += count;
  if (state.cells > MAX_COLUMNAR_CELLS) throw overLimit('cells', state.cells, MAX_COLUMNAR_CELLS);
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
  const hasNulls = kind === KIND.boolean ? params === 1 : (params & NUMBER_NULLS) !== 0;
  const valid =
    kind === KIND.boolean ? params <= 1 : (params & NUMBER_RESERVED) === 0 && (params & SCALE_MASK) <= MAX_SCALE;
  if (!valid) throw new MalformedInput(`bad column parameters ${params}`);
  let isNull: boolean[] | undefined;
  let presentRows = rows;
  if (hasNulls) {
    isNull = new Array<boolean>(count);
    const nonNull: number[] = [];
    for (let j = 0; j < count; j++) {
      const x = bits.bits(1) === 1;
      isNull[j] = x;
      if (!x) nonNull.push(rows[j] as number);
    }
    presentRows = nonNull;
  }
  let numbers: number[] | undefined;
  if (kind === KIND.number) {
    numbers = readNumbers(bits, presentRows, params & SCALE_MASK, state.earlier);
    state.earlier.push({ rows: presentRows, values: numbers });
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
 * `build`, when given, builds the samples of the batches it can (the collector's generated builders).
 */
export function decodeColumnar(
  structureBytes: Uint8Array,
  valueBytes: Uint8Array,
  siteId: string | undefined,
  build?: SampleBuilder,
): unknown {
  const structure = new ByteReader(structureBytes);
  const bits = new BitReader(valueBytes);
  const v = structure.varint();
  const agentVersion = structure.string();
  const n = structure.count('samples', MAX_COLUMNAR_SAMPLES);
  const columnCount = structure.count('columns', MAX_COLUMNAR_COLUMNS);
  const allRows: number[] = [];
  for (let row = 0; row < n; row++) allRows.push(row);
  const state: DecodeState = { n, structure, bits, earlier: [], allRows, cells: 0 };
  const columns: DecodedColumn[] = [];
  for (let c = 0; c < columnCount; c++) columns.push(decodeColumn(state));
  if (!structure.done) throw new MalformedInput('bytes after the last column');
  const samples = build?.(n, columns) ?? buildSamples(n, columns);
  const firstWallMs = samples[0]?.wallMs;
  if (typeof firstWallMs !== 'number') throw new MalformedInput('no wallMs to date the batch by');
  const sentAtMs = firstWallMs + unzigzag(bits.long());
  if (bits.unreadBytes !== 0) throw new MalformedInput('bits after the last value');
  if (!bits.paddingIsZero) throw new MalformedInput('the last byte is not padded with zeros');
  return { v, siteId, agentVersion, sentAtMs, samples };
}
