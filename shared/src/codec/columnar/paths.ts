/**
 * Field paths a columnar payload spells out (a field not in the frozen list): the JSON text of the
 * path, exactly as JSON.stringify writes it, of names and array indices (docs/columnar.md, "Fields").
 */
import { MalformedInput, overLimit } from '../bit-io.js';
import { MAX_COLUMNAR_COLUMNS, MAX_PATH_SEGMENTS } from '../limits.js';
import type { FieldPath } from './fields.js';

/** A field name: what the schemas use, and nothing that needs escaping in JSON. */
const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** Names that would reach an object's prototype in JavaScript. */
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

function isSegment(segment: unknown): boolean {
  if (typeof segment === 'number') return Number.isInteger(segment) && segment >= 0 && segment < MAX_COLUMNAR_COLUMNS;
  return typeof segment === 'string' && NAME.test(segment) && !RESERVED.has(segment);
}

/** Whether a path can be spelled out in a payload (the encoder falls back to another encoding if not). */
export function isSpellable(path: FieldPath): boolean {
  return path.length > 0 && path.length <= MAX_PATH_SEGMENTS && path.every(isSegment);
}

/** The path a spelled-out field names, or MalformedInput. */
export function parsePath(text: string): FieldPath {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new MalformedInput('bad field path');
  }
  if (!Array.isArray(parsed)) throw new MalformedInput('bad field path');
  if (parsed.length > MAX_PATH_SEGMENTS) throw overLimit('segments in a field path', parsed.length, MAX_PATH_SEGMENTS);
  if (!isSpellable(parsed) || JSON.stringify(parsed) !== text) throw new MalformedInput('bad field path');
  return parsed as FieldPath;
}
