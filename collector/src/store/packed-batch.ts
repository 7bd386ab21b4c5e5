import type { BatchRows, SampleRow } from './batch-rows.js';
import type { ImplausibleFigure } from './records.js';
import { NUMERIC_FACTS, type SampleFacts } from './sample-facts.js';

/**
 * A batch's rows flattened for the SQLite worker thread, used only when SQLite runs on one: posting
 * this copies a few numbers and strings, where cloning the row objects (or the decoded batch) costs
 * more than decoding it (v8.serialize and deserialize, docs/storage.md).
 */
export interface PackedBatch {
  readonly siteId: string;
  readonly receivedMs: number;
  /** One per sample. */
  readonly bootIds: readonly string[];
  /** `NUMBERS_PER_SAMPLE` per sample: seq, wallMs, clockSynced (1/0), uptimeMs, then `NUMERIC_FACTS` (NaN for null). */
  readonly numbers: Float64Array;
  /** Per sample, its `errors` fact (null for most). */
  readonly errors: readonly (string | null)[];
  readonly payload: Uint8Array;
  readonly implausible: readonly ImplausibleFigure[];
}

const HEAD = 4;
const NUMBERS_PER_SAMPLE = HEAD + NUMERIC_FACTS.length;

/** `rows` flattened; its payload copied so that the posted message owns only its bytes (mqtt.js's Buffer views a larger one). */
export function packRows(rows: BatchRows): PackedBatch {
  const { samples } = rows;
  const numbers = new Float64Array(samples.length * NUMBERS_PER_SAMPLE);
  const bootIds: string[] = [];
  const errors: (string | null)[] = [];
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i] as SampleRow;
    const at = i * NUMBERS_PER_SAMPLE;
    bootIds.push(s.bootId);
    errors.push(s.facts.errors);
    numbers[at] = s.seq;
    numbers[at + 1] = s.wallMs;
    numbers[at + 2] = s.clockSynced ? 1 : 0;
    numbers[at + 3] = s.uptimeMs;
    for (let k = 0; k < NUMERIC_FACTS.length; k++) {
      const v = s.facts[(NUMERIC_FACTS[k] as (typeof NUMERIC_FACTS)[number]).key] as number | boolean | null;
      // JSON has no NaN, so it cannot stand for a measured value.
      numbers[at + HEAD + k] = v === null ? Number.NaN : Number(v);
    }
  }
  return {
    siteId: rows.siteId,
    receivedMs: rows.receivedMs,
    bootIds,
    numbers,
    errors,
    payload: new Uint8Array(rows.payload),
    implausible: rows.implausible,
  };
}

/** The rows back, on the worker thread, in the order `packRows` wrote them. */
export function unpackRows(packed: PackedBatch): BatchRows {
  const { numbers } = packed;
  const samples = packed.bootIds.map((bootId, i): SampleRow => {
    const at = i * NUMBERS_PER_SAMPLE;
    const facts: Record<string, unknown> = { errors: packed.errors[i] ?? null };
    for (let k = 0; k < NUMERIC_FACTS.length; k++) {
      const f = NUMERIC_FACTS[k] as (typeof NUMERIC_FACTS)[number];
      const v = numbers[at + HEAD + k] as number;
      facts[f.key] = Number.isNaN(v) ? null : f.kind === 'bool' ? v === 1 : v;
    }
    return {
      bootId,
      seq: numbers[at] as number,
      wallMs: numbers[at + 1] as number,
      clockSynced: numbers[at + 2] === 1,
      uptimeMs: numbers[at + 3] as number,
      facts: facts as unknown as SampleFacts,
    };
  });
  return {
    siteId: packed.siteId,
    receivedMs: packed.receivedMs,
    samples,
    payload: packed.payload,
    implausible: packed.implausible,
  };
}
