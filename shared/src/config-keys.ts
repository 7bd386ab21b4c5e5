import type { z } from 'zod';

/**
 * The parts of a zod schema's definition that say which keys a config may hold. Zod 4 keeps them in
 * `_zod.def`, tagged by `type`; wrappers (default, prefault, optional, pipe...) hold their inner
 * schema, objects their shape.
 */
interface SchemaDef {
  readonly type: string;
  readonly shape?: Readonly<Record<string, z.ZodType>>;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly element?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly left?: z.ZodType;
  readonly right?: z.ZodType;
}

function defOf(schema: z.ZodType): SchemaDef {
  return schema._zod.def as unknown as SchemaDef;
}

/** The object schemas a value at `path` is checked against (several under a union). */
function objectsAt(schema: z.ZodType, path: readonly (string | number)[], depth = 0): SchemaDef[] {
  if (depth > 64) return [];
  const def = defOf(schema);
  const inner = def.innerType ?? def.in;
  if (inner !== undefined) return objectsAt(inner, path, depth + 1);
  if (def.type === 'union') return (def.options ?? []).flatMap((o) => objectsAt(o, path, depth + 1));
  if (def.type === 'intersection') {
    return [def.left, def.right].flatMap((s) => (s === undefined ? [] : objectsAt(s, path, depth + 1)));
  }
  const [head, ...rest] = path;
  if (head === undefined) return def.type === 'object' ? [def] : [];
  if (def.type === 'array' && def.element !== undefined) return objectsAt(def.element, rest, depth + 1);
  const child = def.type === 'object' ? def.shape?.[String(head)] : undefined;
  return child === undefined ? [] : objectsAt(child, rest, depth + 1);
}

/** The keys an object at `path` may hold. */
export function keysAt(schema: z.ZodType, path: readonly (string | number)[]): string[] {
  return [...new Set(objectsAt(schema, path).flatMap((o) => Object.keys(o.shape ?? {})))];
}

/** Every key path the schema knows, arrays as `[]` (`probes.latency.targets[].host`). */
function allKeyPaths(schema: z.ZodType, prefix = '', depth = 0): string[] {
  if (depth > 16) return [];
  const def = defOf(schema);
  const inner = def.innerType ?? def.in;
  if (inner !== undefined) return allKeyPaths(inner, prefix, depth + 1);
  if (def.type === 'union') return (def.options ?? []).flatMap((o) => allKeyPaths(o, prefix, depth + 1));
  if (def.type === 'array' && def.element !== undefined) return allKeyPaths(def.element, `${prefix}[]`, depth + 1);
  if (def.type !== 'object') return [];
  return Object.entries(def.shape ?? {}).flatMap(([key, child]) => {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    return [path, ...allKeyPaths(child, path, depth + 1)];
  });
}

/**
 * Optimal string alignment distance, case-insensitive: insertions, deletions, substitutions and
 * swaps of two neighbours each cost one, the usual slips of a hand on a keyboard.
 */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const width = t.length + 1;
  const d: number[] = [];
  const at = (i: number, j: number): number => d[i * width + j] ?? 0;
  for (let i = 0; i <= s.length; i++) {
    for (let j = 0; j <= t.length; j++) {
      if (i === 0 || j === 0) {
        d[i * width + j] = i + j;
        continue;
      }
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      d[i * width + j] = best;
    }
  }
  return at(s.length, t.length);
}

/** The candidate closest to `word`, if it is close enough to be a slip (about a third of its letters). */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  const allowed = Math.max(1, Math.floor(word.length / 3));
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(word, name);
    if (distance <= allowed && (best === undefined || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/**
 * What an unknown key most likely meant, as a full path: a key of the same object one slip away
 * (`mqtt.uri` -> `mqtt.url`), else the same key in another place (`intervalSec` -> `sample.intervalSec`).
 */
export function suggestKey(schema: z.ZodType, parent: readonly (string | number)[], key: string): string | undefined {
  const join = (last: string) => [...parent.map(String), last].join('.');
  const sibling = nearest(key, keysAt(schema, parent));
  if (sibling !== undefined) return join(sibling);
  const elsewhere = allKeyPaths(schema)
    .filter((path) => path.split('.').at(-1)?.toLowerCase() === key.toLowerCase())
    .sort((a, b) => a.length - b.length);
  return elsewhere[0];
}
