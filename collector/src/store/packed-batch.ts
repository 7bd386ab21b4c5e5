import type { BatchRows, SampleRow } from './batch-rows.js';
import type { ImplausibleFigure } from './records.js';
import { FACT_COLUMNS, TEXT_FACT_AT } from './sample-facts.js';

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
  /**
   * `NUMBERS_PER_SAMPLE` per sample: seq, wallMs, clockSynced (1/0), uptimeMs, then the facts but
   * the text one (NaN for null).
   */
  readonly numbers: Float64Array;
  /** Per sample, its `errors` fact (null for most). */
  readonly errors: readonly (string | null)[];
  readonly payload: Uint8Array;
  readonly implausible: readonly ImplausibleFigure[];
}

const HEAD = 4;
const NUMBERS_PER_SAMPLE = HEAD + FACT_COLUMNS.length - 1;
const IS_BOOL = FACT_COLUMNS.map((f) => f.kind === 'bool');

/**
 * `rows` flattened; its payload copied so that the posted message owns only its bytes (mqtt.js's
 * Buffer views a larger one).
 */
export function packRows(rows: BatchRows): PackedBatch {
  const { samples } = rows;
  const numbers = new Float64Array(samples.length * NUMBERS_PER_SAMPLE);
  const bootIds: string[] = [];
  const errors: (string | null)[] = [];
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i] as SampleRow;
    const at = i * NUMBERS_PER_SAMPLE;
    bootIds.push(s.bootId);
    errors.push(s.facts[TEXT_FACT_AT] as string | null);
    numbers[at] = s.seq;
    numbers[at + 1] = s.wallMs;
    numbers[at + 2] = s.clockSynced ? 1 : 0;
    numbers[at + 3] = s.uptimeMs;
    let n = at + HEAD;
    for (let k = 0; k < s.facts.length; k++) {
      if (k === TEXT_FACT_AT) continue;
      const v = s.facts[k] as number | boolean | null;
      // JSON has no NaN, so it cannot stand for a measured value.
      numbers[n++] = v === null ? Number.NaN : v === true ? 1 : v === false ? 0 : v;
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
    const facts = new Array<number | boolean | string | null>(FACT_COLUMNS.length);
    let n = at + HEAD;
    for (let k = 0; k < facts.length; k++) {
      if (k === TEXT_FACT_AT) {
        facts[k] = packed.errors[i] ?? null;
        continue;
      }
      const v = numbers[n++] as number;
      facts[k] = Number.isNaN(v) ? null : IS_BOOL[k] === true ? v === 1 : v;
    }
    return {
      bootId,
      seq: numbers[at] as number,
      wallMs: numbers[at + 1] as number,
      clockSynced: numbers[at + 2] === 1,
      uptimeMs: numbers[at + 3] as number,
      facts,
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
