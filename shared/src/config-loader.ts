import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { keysAt, nearest, suggestKey } from './config-keys.js';
import { type KeyLine, keyLines } from './config-lines.js';
import { fail, ok, type Result } from './result.js';

/** How one environment variable maps onto the config tree. */
export interface EnvBinding {
  readonly path: readonly string[];
  readonly type: 'string' | 'number' | 'boolean' | 'json';
}
export type EnvMap = Readonly<Record<string, EnvBinding>>;

export interface ConfigFile {
  readonly path: string;
  readonly text: string;
}

export interface ConfigSources {
  readonly file?: ConfigFile | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly envMap: EnvMap;
  /**
   * Environment variables starting with `prefix` that are neither in `envMap` nor in
   * `knownElsewhere` (another program's, or a command line's) are refused as typos.
   */
  readonly strictEnv?: { readonly prefix: string; readonly knownElsewhere: readonly string[] } | undefined;
}

export type ConfigErrorCode = 'config_unparsable' | 'config_invalid';

type Tree = Record<string, unknown>;
type Path = readonly (string | number)[];

/**
 * Builds a program's config: schema defaults < file < environment. It is parsed once, every error
 * names the field, the bad value and where it came from (with the file's line), a key the schema
 * does not know is an error with the key it most likely meant, and the result is frozen.
 */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  sources: ConfigSources,
): Result<Readonly<z.infer<S>>, ConfigErrorCode> {
  const origins = new Map<string, string>();
  let tree: Tree = {};
  let fileLine: KeyLine = () => undefined;
  if (sources.file !== undefined) {
    const parsed = parseFile(sources.file);
    if (!parsed.ok) return parsed;
    tree = parsed.value;
    fileLine = keyLines(sources.file.text);
    origins.set('', `file ${sources.file.path}`);
  }
  for (const [name, binding] of Object.entries(sources.envMap)) {
    const raw = sources.env[name];
    if (raw === undefined || raw === '') continue;
    setPath(tree, binding.path, convertEnv(raw, binding.type));
    origins.set(binding.path.join('.'), `environment ${name}`);
  }
  const where = (path: Path): string => {
    const origin = originOf(origins, path.map(String));
    const line = origin.startsWith('file ') ? fileLine(path) : undefined;
    return line === undefined ? origin : `${origin}, line ${line}`;
  };
  const lines = unknownEnvLines(sources);
  const result = schema.safeParse(tree);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) lines.push(unknownKeyLine(schema, path, key, where([...path, key])));
        continue;
      }
      const value = getPath(tree, path.map(String));
      if (value === undefined && issue.code === 'custom') {
        // A rule between fields, about one left at its default.
        lines.push(`${pathName(path)}: ${issue.message}; it has its default value (set it in the file or environment)`);
        continue;
      }
      const got = value === undefined ? 'it is missing' : `got ${preview(value)}`;
      lines.push(`${pathName(path)}: ${issue.message}; ${got} (from ${where(path)})`);
    }
  }
  if (!result.success || lines.length > 0) return fail('config_invalid', lines.join('\n'));
  return ok(deepFreeze(result.data));
}

function pathName(path: Path): string {
  return path.length > 0 ? path.join('.') : '(top level)';
}

function unknownKeyLine(schema: z.ZodType, parent: Path, key: string, origin: string): string {
  const meant = suggestKey(schema, parent, key);
  const hint = meant === undefined ? `valid keys here: ${keysAt(schema, parent).join(', ')}` : `did you mean ${meant}?`;
  return `${pathName([...parent, key])}: unknown key; ${hint} (from ${origin})`;
}

function unknownEnvLines(sources: ConfigSources): string[] {
  const strict = sources.strictEnv;
  if (strict === undefined) return [];
  const known = new Set([...Object.keys(sources.envMap), ...strict.knownElsewhere]);
  return Object.keys(sources.env)
    .filter((name) => name.startsWith(strict.prefix) && !known.has(name))
    .sort()
    .map((name) => {
      const bare = (n: string) => n.slice(strict.prefix.length);
      const meant = nearest(bare(name), Object.keys(sources.envMap).map(bare));
      const hint =
        meant === undefined
          ? 'see --help for the variables this program reads'
          : `did you mean ${strict.prefix}${meant}?`;
      return `${name}: unknown environment variable; ${hint} (from environment ${name})`;
    });
}

function parseFile(file: ConfigFile): Result<Tree, ConfigErrorCode> {
  let value: unknown;
  try {
    value = file.path.endsWith('.json') ? JSON.parse(file.text) : parseYaml(file.text);
  } catch (error) {
    return fail('config_unparsable', `${file.path}: ${(error as Error).message}`);
  }
  if (value === null || value === undefined) return ok({});
  if (typeof value !== 'object' || Array.isArray(value)) {
    return fail('config_unparsable', `${file.path}: the top level must be a mapping of keys`);
  }
  return ok(value as Tree);
}

function convertEnv(raw: string, type: EnvBinding['type']): unknown {
  switch (type) {
    case 'string':
      return raw;
    case 'number': {
      const n = Number(raw);
      return raw.trim() !== '' && Number.isFinite(n) ? n : raw;
    }
    case 'boolean':
      if (['true', '1', 'yes'].includes(raw.toLowerCase())) return true;
      if (['false', '0', 'no'].includes(raw.toLowerCase())) return false;
      return raw;
    case 'json':
      try {
        return JSON.parse(raw);
      } catch {
        return raw;
      }
  }
}

function setPath(tree: Tree, path: readonly string[], value: unknown): void {
  let node = tree;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Tree;
  }
  const last = path.at(-1);
  if (last !== undefined) node[last] = value;
}

function getPath(tree: unknown, path: readonly string[]): unknown {
  let node = tree;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Tree)[key];
  }
  return node;
}

/** The most specific source that set this path or one of its parents. */
function originOf(origins: Map<string, string>, path: readonly string[]): string {
  for (let n = path.length; n >= 0; n--) {
    const origin = origins.get(path.slice(0, n).join('.'));
    if (origin !== undefined) return origin;
  }
  return 'defaults';
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Reads a config file for `loadConfig`; a missing or unreadable file is an error naming the path. */
export async function readConfigFile(
  path: string,
  readText: (path: string) => Promise<string>,
): Promise<Result<ConfigFile, 'config_unreadable'>> {
  try {
    return ok({ path, text: await readText(path) });
  } catch (error) {
    return fail('config_unreadable', `cannot read config file ${path}: ${(error as Error).message}`);
  }
}
