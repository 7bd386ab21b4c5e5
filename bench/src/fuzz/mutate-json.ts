/**
 * Mutations of a message's JSON (its values, its text) sent plain, deflated or as Brotli: wrong
 * types, huge arrays and strings, deep nesting, unknown fields, bad literals and UTF-8, and
 * compression bombs that expand a few bytes to megabytes.
 */
import { brotliCompressSync, constants, deflateRawSync } from 'node:zlib';
import type { Rand } from './random.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function hostile(r: Rand): Json {
  switch (r.int(14)) {
    case 0:
      return null;
    case 1:
      return r.pick([-1, 0, 1.5, 2 ** 53, -(2 ** 53), 1e308, -0, 5e-324, 4_102_444_800_001]);
    case 2:
      return r.pick(['', 'x', 'NaN', 'gateway', '😀'.repeat(33), 'a'.repeat(300), 'not a boot id!']);
    case 3:
      return 'x'.repeat(r.int(1_000_000));
    case 4:
      return [];
    case 5:
      return {};
    case 6:
      return r.chance(0.5);
    case 7: {
      let nested: Json = 0;
      for (let d = 0, depth = 1 + r.int(200); d < depth; d++) nested = r.chance(0.5) ? [nested] : { a: nested };
      return nested;
    }
    case 8:
      return Array.from({ length: r.pick([1441, 5000, 100_000]) }, () => (r.chance(0.5) ? 0 : {}));
    case 9:
      return Object.fromEntries(Array.from({ length: r.pick([100, 10_000, 60_000]) }, (_, i) => [`k${i}`, i]));
    case 10:
      return [{ fromSeq: 5, toSeq: 1 }];
    default:
      return r.int(2 ** 31);
  }
}

/** Every path to a value inside `v`. */
function paths(v: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (v !== null && typeof v === 'object' && out.length < 5000) {
    const entries: [string | number, Json][] = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
    for (const [k, x] of entries) paths(x, [...prefix, k], out);
  }
  return out;
}

function mutateValue(message: Json, r: Rand): [string, Json] {
  const copy = structuredClone(message) as { [key: string]: Json };
  const all = paths(copy).filter((p) => p.length > 0);
  const path = r.pick(all);
  let parent = copy as Json;
  for (const k of path.slice(0, -1)) parent = (parent as Record<string | number, Json>)[k] as Json;
  const key = path[path.length - 1] as string | number;
  const container = parent as Record<string | number, Json>;
  const what = r.int(5);
  if (what === 0) {
    delete container[key];
    return ['field removed', copy];
  }
  if (what === 1 && !Array.isArray(parent)) {
    container[r.pick(['unknownField', '__proto__', 'constructor', 'v'])] = hostile(r);
    return ['field added', copy];
  }
  if (what === 2) {
    copy.v = r.pick([2, 0, '1', null] as Json[]);
    return ['version', copy];
  }
  container[key] = hostile(r);
  return ['value replaced', copy];
}

function mutateText(text: string, r: Rand): [string, Buffer] {
  const at = r.int(text.length);
  switch (r.int(7)) {
    case 0:
      return [
        'literal',
        Buffer.from(text.replace(/:(-?\d[\d.e+-]*)/, `:${r.pick(['NaN', 'Infinity', '1e999', '-', '01'])}`)),
      ];
    case 1: {
      const depth = r.pick([33, 1000, 100_000]);
      return [
        'deep nesting',
        Buffer.from(`${text.slice(0, at)}${'['.repeat(depth)}${']'.repeat(depth)}${text.slice(at)}`),
      ];
    }
    case 2:
      return ['trailing garbage', Buffer.from(`${text}${r.pick(['}', ',', ' x', '\u0000'])}`)];
    case 3:
      return ['byte order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])];
    case 4: {
      const bad = r.pick([[0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf8]]);
      return [
        'invalid UTF-8',
        Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from(bad), Buffer.from(text.slice(at))]),
      ];
    }
    case 5:
      return ['duplicate key', Buffer.from(text.replace(/^\{/, '{"v":2,'))];
    default:
      return ['white space', Buffer.from(`${' \n\t'.repeat(r.int(1000))}${text}`)];
  }
}

/** Text that expands to megabytes: what a compression bomb carries. */
function bomb(r: Rand, head: string): Buffer {
  const mb = 1 + r.int(9);
  const size = mb * 1024 * 1024;
  const body = r.pick([
    () => `${head}"samples":[${'0,'.repeat(size / 2)}0]}`,
    () => `${head}"samples":${'['.repeat(size / 2)}${']'.repeat(size / 2)}}`,
    () => `${head}"samples":[${`{"a":${'['.repeat(30)}1${']'.repeat(30)}},`.repeat(size / 70)}0]}`,
    () => `${head}"x":"${'a'.repeat(size)}"}`,
    () =>
      `${head}"samples":[${'{"seq":1,"bootId":"b","wallMs":1,"clockSynced":true,"uptimeMs":1},'.repeat(size / 70)}0]}`,
  ])();
  return Buffer.from(body);
}

function compress(bytes: Buffer, encoding: 'json' | 'deflate' | 'brotli', r: Rand): Buffer {
  if (encoding === 'json') return bytes;
  if (encoding === 'deflate') return Buffer.concat([Buffer.from([1]), deflateRawSync(bytes, { level: 1 + r.int(9) })]);
  const quality = r.int(6);
  const body = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: quality } });
  return Buffer.concat([Buffer.from([2]), body]);
}

export function mutateJson(message: Record<string, unknown>, r: Rand): { name: string; payload: Buffer } {
  const encoding = r.pick(['json', 'deflate', 'brotli'] as const);
  if (r.chance(0.04)) {
    const head = `{"v":1,"siteId":"${String(message.siteId)}","agentVersion":"x","sentAtMs":1,`;
    return { name: `${encoding} bomb`, payload: compress(bomb(r, head), encoding === 'json' ? 'brotli' : encoding, r) };
  }
  const [name, value] = mutateValue(message as Json, r);
  const text = JSON.stringify(value);
  if (r.chance(0.3)) {
    const [textName, bytes] = mutateText(text, r);
    return { name: `${encoding} ${name} + ${textName}`, payload: compress(bytes, encoding, r) };
  }
  return { name: `${encoding} ${name}`, payload: compress(Buffer.from(text), encoding, r) };
}
