/**
 * A batch's samples cut into columns, one per leaf field (encode.ts): a leaf is a plain value, an
 * empty array or an empty object. Columns come in the order their field first appears, sample by
 * sample, depth first in each sample's key order; a column lists the samples that have the field,
 * in order, and their values.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Path = (string | number)[];

export interface Column {
  readonly path: Path;
  readonly rows: number[];
  readonly values: Json[];
}

/**
 * One node per path prefix, so that a sample's field finds its column by walking object keys and
 * array indices, not by spelling its path as a string for every value (the encoder's hottest step
 * on the agent when every leaf was JSON.stringify'd). A Map keeps index 0 and key "0" apart, as
 * their paths differ.
 */
interface Node {
  readonly children: Map<string | number, Node>;
  column: Column | undefined;
}

function child(node: Node, segment: string | number): Node {
  let next = node.children.get(segment);
  if (next === undefined) {
    next = { children: new Map(), column: undefined };
    node.children.set(segment, next);
  }
  return next;
}

/** The columns of `samples`, in first-appearance order. */
export function collectColumns(samples: readonly unknown[]): Column[] {
  const root: Node = { children: new Map(), column: undefined };
  const columns: Column[] = [];
  const path: Path = [];
  const leaf = (value: Json, node: Node, row: number): void => {
    let column = node.column;
    if (column === undefined) {
      column = { path: [...path], rows: [], values: [] };
      node.column = column;
      columns.push(column);
    }
    column.rows.push(row);
    column.values.push(value);
  };
  const visit = (value: Json, node: Node, row: number): void => {
    if (value === null || typeof value !== 'object') leaf(value, node, row);
    else if (Array.isArray(value)) {
      if (value.length === 0) leaf(value, node, row);
      for (let j = 0; j < value.length; j++) {
        path.push(j);
        visit(value[j] as Json, child(node, j), row);
        path.pop();
      }
    } else {
      // for-in rather than Object.keys: the same own keys in the same order (a parsed message is a
      // plain object), without an array per object.
      let empty = true;
      for (const key in value) {
        empty = false;
        path.push(key);
        visit(value[key] as Json, child(node, key), row);
        path.pop();
      }
      if (empty) leaf(value, node, row);
    }
  };
  for (let row = 0; row < samples.length; row++) visit(samples[row] as Json, root, row);
  return columns;
}
