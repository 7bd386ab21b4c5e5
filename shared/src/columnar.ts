/**
 * The compact form of a telemetry batch: one column per leaf field across the samples instead of
 * one object per sample. Field names then appear once per batch, constant fields once, counters
 * that grow steadily (seq, wallMs, uptimes) become small deltas, and decimals become integers, which
 * a general compressor (Brotli) then squeezes much further than the same JSON row by row.
 *
 * `{ v, siteId, agentVersion, sentAtMs, n, c: [[path, kind, data, presence?], ...] }` where `path`
 * is the field's path (numbers index arrays), `presence` (when some samples lack the field) is a
 * string of `0`/`1` per sample, and `kind` says how `data` holds the values of the samples that have
 * the field:
 * - `k`: one value shared by all of them;
 * - `v`: the values as they are;
 * - `i<s>`: integers = value x 10^s (s = 0..4), as they are;
 * - `d<s>`: the same integers, the first then the differences.
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];
type Column = [Path, string, Json] | [Path, string, Json, string];

export interface ColumnarBatch {
  v: number;
  siteId: string;
  agentVersion: string;
  sentAtMs: number;
  n: number;
  c: Column[];
}

function flatten(value: Json, path: Path, out: Map<string, { path: Path; values: Map<number, Json> }>, i: number) {
  const isLeaf =
    value === null ||
    typeof value !== 'object' ||
    (Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0);
  if (isLeaf) {
    const key = JSON.stringify(path);
    let column = out.get(key);
    if (column === undefined) {
      column = { path: [...path], values: new Map() };
      out.set(key, column);
    }
    column.values.set(i, value);
    return;
  }
  if (Array.isArray(value)) {
    for (const [j, v] of value.entries()) flatten(v, [...path, j], out, i);
  } else for (const [k, v] of Object.entries(value)) flatten(v, [...path, k], out, i);
}

function scaleOf(values: readonly number[]): number | null {
  for (let s = 0; s <= 4; s++) {
    const f = 10 ** s;
    if (values.every((v) => Number.isSafeInteger(Math.round(v * f)) && Math.round(v * f) / f === v)) return s;
  }
  return null;
}

function encodeValues(values: Json[]): [string, Json] {
  const first = values[0] ?? null;
  const text = JSON.stringify(first);
  if (values.every((v) => JSON.stringify(v) === text)) return ['k', first];
  if (values.every((v) => typeof v === 'number')) {
    const numbers = values as number[];
    const s = scaleOf(numbers);
    if (s !== null) {
      const ints = numbers.map((v) => Math.round(v * 10 ** s));
      const deltas = ints.map((v, j) => (j === 0 ? v : v - (ints[j - 1] as number)));
      return JSON.stringify(deltas).length < JSON.stringify(ints).length ? [`d${s}`, deltas] : [`i${s}`, ints];
    }
  }
  return ['v', values];
}

function decodeValues(kind: string, data: Json, count: number): Json[] | null {
  if (kind === 'k') return Array.from({ length: count }, () => data);
  if (!Array.isArray(data) || data.length !== count) return null;
  if (kind === 'v') return data;
  const s = Number(kind.slice(1));
  if (!/^[id][0-4]$/.test(kind) || !data.every((v) => typeof v === 'number')) return null;
  const ints = data as number[];
  if (kind[0] === 'd') for (let j = 1; j < ints.length; j++) ints[j] = (ints[j] as number) + (ints[j - 1] as number);
  return ints.map((v) => v / 10 ** s);
}

/** The columnar form of a batch (already validated by its schema). */
export function toColumns(batch: {
  v: number;
  siteId: string;
  agentVersion: string;
  sentAtMs: number;
  samples: readonly unknown[];
}): ColumnarBatch {
  const columns = new Map<string, { path: Path; values: Map<number, Json> }>();
  for (const [i, sample] of batch.samples.entries()) flatten(sample as Json, [], columns, i);
  const n = batch.samples.length;
  const c: Column[] = [];
  for (const { path, values } of columns.values()) {
    const present = [...values.keys()].sort((a, b) => a - b);
    const [kind, data] = encodeValues(present.map((i) => values.get(i) as Json));
    if (present.length === n) c.push([path, kind, data]);
    else {
      const mask = Array.from({ length: n }, (_, i) => (values.has(i) ? '1' : '0')).join('');
      c.push([path, kind, data, mask]);
    }
  }
  return { v: batch.v, siteId: batch.siteId, agentVersion: batch.agentVersion, sentAtMs: batch.sentAtMs, n, c };
}

/** Rebuilds the row form; null when the columns are malformed (the schema check follows anyway). */
export function fromColumns(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || !('c' in value) || !('n' in value)) return null;
  const { c, n, ...head } = value as { c: unknown; n: unknown } & Record<string, unknown>;
  if (!Array.isArray(c) || !Number.isSafeInteger(n) || (n as number) < 0 || (n as number) > 100_000) return null;
  const samples: Record<string, Json>[] = Array.from({ length: n as number }, () => ({}));
  for (const column of c) {
    if (!Array.isArray(column) || column.length < 3) return null;
    const [path, kind, data, mask] = column as [unknown, unknown, Json, unknown];
    if (!Array.isArray(path) || path.length === 0 || typeof kind !== 'string') return null;
    if (!path.every(isSafeSegment)) return null;
    if (mask !== undefined && (typeof mask !== 'string' || mask.length !== n)) return null;
    const rows = samples.map((_, i) => i).filter((i) => mask === undefined || mask[i] === '1');
    const values = decodeValues(kind, data, rows.length);
    if (values === null) return null;
    for (const [j, row] of rows.entries()) setAt(samples[row] as Record<string, Json>, path as Path, values[j] as Json);
  }
  return { ...head, samples };
}

/** A path segment that cannot reach an object's prototype or make a huge sparse array. */
function isSafeSegment(segment: unknown): boolean {
  if (typeof segment === 'number') return Number.isSafeInteger(segment) && segment >= 0 && segment < 10_000;
  return typeof segment === 'string' && segment !== '__proto__' && segment !== 'constructor' && segment !== 'prototype';
}

function setAt(target: Record<string, Json>, path: Path, value: Json): void {
  let node: Json = target;
  for (let k = 0; k < path.length; k++) {
    const key = path[k] as string | number;
    const last = k === path.length - 1;
    if (typeof node !== 'object' || node === null) return;
    const container = node as Record<string | number, Json>;
    if (last) {
      container[key] = value;
      return;
    }
    if (container[key] === undefined) container[key] = typeof path[k + 1] === 'number' ? [] : {};
    node = container[key] as Json;
  }
}
