import type { CoreSample } from './batch-rows.js';
import { payloadOf } from './payload-probes.js';
import { type SampleFacts, sampleFacts } from './sample-facts.js';
import type { BatchItem } from './store.js';

/**
 * A batch as SQLite stores it: what each sample's row holds (identity, clock, roll-up facts) and the
 * payload that holds its probes. Flat, so that handing it to the store's worker thread copies a few
 * numbers and strings rather than the decoded batch: cloning that costs more than decoding it
 * (v8.serialize ~10 µs a sample and deserialize ~6, on the bench's batches).
 */
export interface PackedBatch {
  readonly siteId: string;
  readonly receivedMs: number;
  /** One per sample. */
  readonly bootIds: readonly string[];
  /** `NUMBERS_PER_SAMPLE` per sample: seq, wallMs, clockSynced (1/0), uptimeMs, then `FACT_KEYS` (NaN for null). */
  readonly numbers: Float64Array;
  readonly payload: Uint8Array;
}

const FACT_KEYS = [
  'rxBytes',
  'txBytes',
  'clientRxBytes',
  'clientTxBytes',
  'clients',
  'batteryVolts',
  'rttGatewayMs',
  'rttTerminalMs',
  'rttInternetMs',
  'rttNocMs',
] as const satisfies readonly (keyof SampleFacts)[];
type FactKey = (typeof FACT_KEYS)[number];
const HEAD = 4;
const NUMBERS_PER_SAMPLE = HEAD + FACT_KEYS.length;

/** Packs a decoded batch (the facts are read from its probes here, on the caller's thread). */
export function packBatch({ batch, receivedMs, payload }: BatchItem): PackedBatch {
  const { samples } = batch;
  const numbers = new Float64Array(samples.length * NUMBERS_PER_SAMPLE);
  const bootIds: string[] = [];
  // Index loops: entries() iterators made a pair per value, the larger part of packing's cost.
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i] as (typeof samples)[number];
    const at = i * NUMBERS_PER_SAMPLE;
    bootIds.push(s.bootId);
    numbers[at] = s.seq;
    numbers[at + 1] = s.wallMs;
    numbers[at + 2] = s.clockSynced ? 1 : 0;
    numbers[at + 3] = s.uptimeMs;
    const facts = sampleFacts(s);
    // JSON has no NaN, so it cannot stand for a measured value.
    for (let k = 0; k < FACT_KEYS.length; k++) numbers[at + HEAD + k] = facts[FACT_KEYS[k] as FactKey] ?? Number.NaN;
  }
  return { siteId: batch.siteId, receivedMs, bootIds, numbers, payload: payloadOf(batch, payload) };
}

export function unpackSamples(packed: PackedBatch): CoreSample[] {
  const { numbers } = packed;
  const fact = (at: number) => {
    const v = numbers[at] as number;
    return Number.isNaN(v) ? null : v;
  };
  return packed.bootIds.map((bootId, i): CoreSample => {
    const at = i * NUMBERS_PER_SAMPLE;
    // The same FACT_KEYS order as packBatch wrote them, so a fact added there is read back here.
    const facts = {} as Record<FactKey, number | null>;
    for (let k = 0; k < FACT_KEYS.length; k++) facts[FACT_KEYS[k] as FactKey] = fact(at + HEAD + k);
    return {
      bootId,
      seq: numbers[at] as number,
      wallMs: numbers[at + 1] as number,
      clockSynced: numbers[at + 2] === 1,
      uptimeMs: numbers[at + 3] as number,
      facts,
    };
  });
}
