/**
 * Builds a columnar batch's samples from its decoded columns (docs/columnar.md, "Building the
 * samples"): each column's values are set at its path in the samples that have it, column by
 * column, creating objects and arrays as the plain JSON has them.
 */
import { MalformedInput } from '../bit-io.js';
import type { Json } from './columns.js';
import type { FieldPath } from './fields.js';

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
 * A faster way to build the samples of some batches (the collector's generated builders). It must
 * give exactly what buildSamples gives, or null to leave the batch to it.
 */
export type SampleBuilder = (n: number, columns: readonly DecodedColumn[]) => Record<string, Json>[] | null;

type Container = Record<string | number, Json>;

/** Sets every column's values; throws MalformedInput when the paths do not make plain JSON. */
export function buildSamples(n: number, columns: readonly DecodedColumn[]): Record<string, Json>[] {
  const samples: Record<string, Json>[] = [];
  for (let i = 0; i < n; i++) samples.push({});
  const placer = new Placer(samples);
  for (const c of columns) {
    for (let j = 0; j < c.rows.length; j++) placer.place(c.path, c.rows[j] as number, c.values[j] as Json);
  }
  placer.checkArraysDense();
  return samples;
}

/**
 * Consecutive columns mostly share their parent (a target's fields, a section's), so each row's
 * parent container is kept until a column with another parent comes: containers are only ever
 * added to, never replaced, so the walk would find the same one.
 */
class Placer {
  private parentKey = '';
  private parents: (Container | undefined)[] = [];
  /** Elements set in each array: an array is dense when that equals its length. */
  private readonly elements = new Map<Json[], number>();
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
      parent = this.parentAt(this.samples[row] as Container, path);
      this.parents[row] = parent;
    }
    const key = path[path.length - 1] as string | number;
    this.set(asContainer(parent, key), key, value);
  }

  /** An array with a hole is not JSON: a column of a later element came without one before it. */
  checkArraysDense(): void {
    for (const [array, count] of this.elements) {
      if (count !== array.length) throw new MalformedInput('an array has a missing element');
    }
  }

  /** The container a field's value goes into: the walk of `path` but its last step. */
  private parentAt(target: Container, path: FieldPath): Container {
    let node: Json = target;
    for (let k = 0; k < path.length - 1; k++) {
      const key = path[k] as string | number;
      const container = asContainer(node, key);
      if (!Object.hasOwn(container, key)) this.set(container, key, typeof path[k + 1] === 'number' ? [] : {});
      node = container[key] as Json;
    }
    if (typeof node !== 'object' || node === null) throw new MalformedInput('field inside a plain value');
    return node as Container;
  }

  private set(container: Container, key: string | number, value: Json): void {
    if (Object.hasOwn(container, key)) throw new MalformedInput('field given twice');
    container[key] = value;
    if (Array.isArray(container)) this.elements.set(container, (this.elements.get(container) ?? 0) + 1);
  }
}

/** `node` as the container `key` goes into: an index must land in an array and a name in an object. */
function asContainer(node: Json, key: string | number): Container {
  if (typeof node !== 'object' || node === null) throw new MalformedInput('field inside a plain value');
  if (Array.isArray(node) !== (typeof key === 'number')) throw new MalformedInput('field path does not fit');
  return node as Container;
}

/** Each field path's parent path as a key (JSON, so index 0 and name "0" differ), worked out once. */
const parentKeys = new WeakMap<FieldPath, string>();
