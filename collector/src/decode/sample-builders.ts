import type { DecodedColumn, Json, SampleBuilder } from '@pantau/shared';

/**
 * Generated builders for columnar samples: setting each value at its path one by one is the plain
 * decoder's largest cost (keyed stores with changing keys are slow in V8). Agents send batches
 * whose every sample has every column, all of them fields of the frozen list; for those, a builder
 * made once per set of columns writes each sample as one object literal. It gives exactly what
 * the plain builder (shared's buildSamples) gives, keys in the same order; any other batch is left
 * to it (null).
 */

/**
 * Columns a builder is made for at most: an agent's batch has 70-150 (8 latency targets at most in
 * the frozen list); more is left to the plain path, which keeps the builders' memory small.
 */
const MAX_BUILDER_COLUMNS = 256;
/** Builders by their columns' field refs; bounded, started again when full (a fleet's are few). */
const BUILDER_CACHE_ENTRIES = 256;

type Builder = (values: readonly (readonly Json[])[], row: number) => Record<string, Json>;

export function createSampleBuilders(): SampleBuilder {
  const builders = new Map<string, Builder | null>();
  const builderFor = (columns: readonly DecodedColumn[]): Builder | null => {
    let key = '';
    for (const c of columns) key += `${c.ref},`;
    let build = builders.get(key);
    if (build === undefined) {
      build = compile(columns);
      if (builders.size >= BUILDER_CACHE_ENTRIES) builders.clear();
      builders.set(key, build);
    }
    return build;
  };
  return (n, columns) => {
    if (columns.length > MAX_BUILDER_COLUMNS || !columns.every((c) => c.full && c.ref > 0)) return null;
    const build = builderFor(columns);
    if (build === null) return null;
    const values = columns.map((c) => c.values);
    const samples: Record<string, Json>[] = [];
    for (let i = 0; i < n; i++) samples.push(build(values, i));
    return samples;
  };
}

interface Container {
  readonly array: boolean;
  /** In first-appearance order, as the plain path would add them. */
  readonly children: Map<string | number, Container | number>;
}

/**
 * The object literal a sample is, as code, or null when the paths do not make one plainly (a
 * field given twice, one inside another's value, an index where a name goes, a gap in an array):
 * the plain path then decides, and rejects what it must.
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
  // Generated from field paths of the frozen list only (ref > 0), never from payload text.
  return body === null ? null : (new Function('v', 'i', `return ${body};`) as Builder);
}
