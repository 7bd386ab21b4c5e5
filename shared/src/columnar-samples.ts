/**
 * Builds a columnar batch's samples from its decoded columns (columnar.ts). The collector decodes
 * every batch, and setting each value at its path one by one was the decoder's largest cost (keyed
 * stores with changing keys are slow in V8). Agents send batches whose every sample has every
 * column; for those, a builder made once per set of columns writes each sample as one object
 * literal. Any other batch takes the general path, which sets values one by one in column order.
 * Both give the same objects, keys in the same order (the columnar round-trip tests compare them).
 */
import { MalformedInput } from './bit-io.js';
import type { Json } from './columnar-columns.js';
import type { FieldPath } from './columnar-fields.js';

export interface DecodedColumn {
  /** Index + 1 in COLUMNAR_FIELDS_V1, or 0 for a path the payload spelled out. */
  readonly ref: number;
  readonly path: FieldPath;
  /** The samples that have the field, in order; every sample when `full`. */
  readonly rows: readonly number[];
  readonly full: boolean;
  /** One per row. */
  readonly values: readonly Json[];
}

/**
 * Columns a builder is made for at most: an agent's batch has 70-150 (8 latency targets at most in
 * the dictionary); more is left to the general path, which keeps the builders' memory small.
 */
const MAX_BUILDER_COLUMNS = 256;

export function buildSamples(n: number, columns: readonly DecodedColumn[]): Record<string, Json>[] {
  const plain = columns.length <= MAX_BUILDER_COLUMNS && columns.every((c) => c.full && c.ref > 0);
  const build = plain ? builderFor(columns) : null;
  if (build !== null) {
    const values = columns.map((c) => c.values);
    const samples: Record<string, Json>[] = [];
    for (let i = 0; i < n; i++) samples.push(build(values, i));
    return samples;
  }
  const samples: Record<string, Json>[] = [];
  for (let i = 0; i < n; i++) samples.push({});
  const placer = new Placer(samples);
  for (const c of columns) {
    for (let j = 0; j < c.rows.length; j++) placer.place(c.path, c.rows[j] as number, c.values[j] as Json);
  }
  return samples;
}

type Builder = (values: readonly (readonly Json[])[], row: number) => Record<string, Json>;

/** Builders by their columns' field refs; bounded, started again when full (a fleet's are few). */
const BUILDER_CACHE_ENTRIES = 256;
const builders = new Map<string, Builder | null>();

function builderFor(columns: readonly DecodedColumn[]): Builder | null {
  let key = '';
  for (const c of columns) key += `${c.ref},`;
  let build = builders.get(key);
  if (build === undefined) {
    build = compile(columns);
    if (builders.size >= BUILDER_CACHE_ENTRIES) builders.clear();
    builders.set(key, build);
  }
  return build;
}

interface Container {
  readonly array: boolean;
  /** In first-appearance order, as the general path would add them. */
  readonly children: Map<string | number, Container | number>;
}

/**
 * The object literal a sample is, as code, or null when the paths do not make one plainly (a
 * field given twice, one inside another's value, an index where a name goes, a gap in an array):
 * the general path then decides, and rejects what it must.
 */
function compile(columns: readonly DecodedColumn[]): Builder | null {
  const root: Container = { array: false, children: new Map() };
  for (const [c, { path }] of columns.entries()) {
    let node = root;
    for (let k = 0; k < path.length; k++) {
      const segment = path[k] as string | number;
      if (node.array !== (typeof segment === 'number') || segment === '__proto__') return null;
      const child = node.children.get(segment);
      if (k === path.length - 1) {
        if (child !== undefined) return null;
        node.children.set(segment, c);
      } else if (child === undefined) {
        const next: Container = { array: typeof path[k + 1] === 'number', children: new Map() };
        node.children.set(segment, next);
        node = next;
      } else if (typeof child === 'number') return null;
      else node = child;
    }
  }
  const code = (node: Container | number): string | null => {
    if (typeof node === 'number') return `v[${node}][i]`;
    const parts: string[] = [];
    if (node.array) {
      for (let index = 0; index < node.children.size; index++) {
        const child = node.children.get(index);
        if (child === undefined) return null;
        const part = code(child);
        if (part === null) return null;
        parts.push(part);
      }
      return `[${parts.join(',')}]`;
    }
    for (const [name, child] of node.children) {
      const part = code(child);
      if (part === null) return null;
      // JSON.stringify quotes any name safely; `__proto__` was refused above.
      parts.push(`${JSON.stringify(name)}:${part}`);
    }
    return `{${parts.join(',')}}`;
  };
  const body = code(root);
  // Generated from field paths of the fixed dictionary only (ref > 0), never from payload text.
  return body === null ? null : (new Function('v', 'i', `return ${body};`) as Builder);
}

/**
 * The general path: sets each value at its path, creating objects and arrays as the plain JSON
 * would have them. Consecutive columns mostly share their parent (a target's fields, a section's),
 * so each row's parent container is kept until a column with another parent comes: containers are
 * only ever added to, never replaced, so the walk would find the same one.
 */
class Placer {
  private parentKey = '';
  private parents: (Record<string | number, Json> | undefined)[] = [];
  constructor(private readonly samples: Record<string, Json>[]) {}

  place(path: FieldPath, row: number, value: Json): void {
    let parentKey = parentKeys.get(path);
    if (parentKey === undefined) {
      parentKey = JSON.stringify(path.slice(0, -1));
      parentKeys.set(path, parentKey);
    }
    if (parentKey !== this.parentKey) {
      this.parentKey = parentKey;
      this.parents = [];
    }
    let parent = this.parents[row];
    if (parent === undefined) {
      parent = parentAt(this.samples[row] as Record<string, Json>, path);
      this.parents[row] = parent;
    }
    setLeaf(parent, path[path.length - 1] as string | number, value);
  }
}

/** Each field path's parent path as a key (JSON, so index 0 and name "0" differ), worked out once. */
const parentKeys = new WeakMap<FieldPath, string>();

/** The container a field's value goes into: the walk of `path` but its last step. */
function parentAt(target: Record<string, Json>, path: FieldPath): Record<string | number, Json> {
  let node: Json = target;
  for (let k = 0; k < path.length - 1; k++) {
    const key = path[k] as string | number;
    if (typeof node !== 'object' || node === null) throw new MalformedInput('field inside a plain value');
    // An index must land in an array and a name in an object, as the plain JSON would have it.
    if (Array.isArray(node) !== (typeof key === 'number')) throw new MalformedInput('field path does not fit');
    const container = node as Record<string | number, Json>;
    if (container[key] === undefined) container[key] = typeof path[k + 1] === 'number' ? [] : {};
    node = container[key] as Json;
  }
  if (typeof node !== 'object' || node === null) throw new MalformedInput('field inside a plain value');
  return node as Record<string | number, Json>;
}

function setLeaf(container: Record<string | number, Json>, key: string | number, value: Json): void {
  if (Array.isArray(container) !== (typeof key === 'number')) throw new MalformedInput('field path does not fit');
  if (container[key] !== undefined) throw new MalformedInput('field given twice');
  container[key] = value;
}
