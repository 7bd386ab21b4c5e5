/**
 * The columnar format's published artefacts, made from the code: the frozen field list and the
 * preset dictionary (docs/columnar/), and the test vectors (tests/interop/vectors/). The script
 * (codec-artefacts.ts) writes them; tests check that the files still equal what the code makes.
 */
import {
  COLUMNAR_FIELDS_V1,
  encodePayload,
  packColumnar,
  type TelemetryBatchInput,
  telemetryBatchSchema,
  unpackPayload,
} from '@pantau/shared';
import { handmadeVectors } from './handmade-vectors.js';
import { columnarParts, DICTIONARY } from './payload-parts.js';

export { columnarParts } from './payload-parts.js';

import { rejectVectors } from './reject-vectors.js';
import { vectorBatches } from './vector-batches.js';

export interface Artefact {
  /** From the repository's root. */
  readonly path: string;
  readonly bytes: Buffer;
}

/** The site the vectors' topic names: a columnar payload does not carry it. */
export const VECTOR_SITE_ID = 'kutim-sangatta-01';
const TOPIC = `pantau/v1/site/${VECTOR_SITE_ID}/telemetry`;

/** JSON text with every object's keys sorted: a decoded batch keeps its columns' order, not the input's. */
export function sortedJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`);

export function publishedArtefacts(): Artefact[] {
  const fields = `[\n${COLUMNAR_FIELDS_V1.map((path) => `  ${JSON.stringify(path)}`).join(',\n')}\n]\n`;
  return [
    { path: 'docs/columnar/fields-v1.json', bytes: Buffer.from(fields) },
    { path: 'docs/columnar/dictionary-v2.bin', bytes: DICTIONARY },
  ];
}

/** What a vector file holds: the payload, its two streams (to read along), and the batch. */
export interface AcceptVector {
  readonly name: string;
  readonly description: string;
  /** How the payload was made: `encodePayload` and `packColumnar` are checked to make it again. */
  readonly encoder: 'encodePayload' | 'packColumnar' | 'by hand';
  readonly topic: string;
  readonly payloadHex: string;
  readonly structureHex: string;
  readonly valueBitsHex: string;
  readonly batch: unknown;
}

export interface RejectVectorFile {
  readonly name: string;
  readonly description: string;
  readonly topic: string;
  readonly reason: string;
  readonly payloadHex: string;
}

function decoded(payload: Buffer): unknown {
  const plain = unpackPayload('telemetry', payload, payload.byteLength, { siteId: VECTOR_SITE_ID });
  if (!plain.ok) throw new Error(`a vector does not decode: ${plain.message}`);
  return plain.value;
}

function accept(name: string, description: string, encoder: AcceptVector['encoder'], payload: Buffer): AcceptVector {
  const { structure, values } = columnarParts(payload);
  return {
    name,
    description,
    encoder,
    topic: TOPIC,
    payloadHex: payload.toString('hex'),
    structureHex: structure.toString('hex'),
    valueBitsHex: values.toString('hex'),
    batch: decoded(payload),
  };
}

/** Every vector, made afresh from the code (each checked to decode to the batch it was made of). */
export function vectors(): (AcceptVector | RejectVectorFile)[] {
  const out: (AcceptVector | RejectVectorFile)[] = [];
  for (const b of vectorBatches()) {
    const message = { v: 1 as const, siteId: VECTOR_SITE_ID, agentVersion: b.agentVersion, sentAtMs: b.sentAtMs };
    const batch =
      b.kind === 'schema'
        ? telemetryBatchSchema.parse({ ...message, samples: b.samples })
        : { ...message, samples: b.samples };
    const payload =
      b.kind === 'schema'
        ? encodePayload('telemetry', batch as TelemetryBatchInput, 'columnar')
        : Buffer.concat([Buffer.from([4]), packColumnar(message, b.samples) ?? Buffer.alloc(0)]);
    if (payload[0] !== 4) throw new Error(`${b.name} is not sent columnar`);
    const vector = accept(b.name, b.description, b.kind === 'schema' ? 'encodePayload' : 'packColumnar', payload);
    if (sortedJson(vector.batch) !== sortedJson(batch)) throw new Error(`${b.name} decodes to another batch`);
    out.push(vector);
  }
  for (const h of handmadeVectors()) out.push(accept(h.name, h.description, 'by hand', h.payload));
  for (const r of rejectVectors()) {
    const plain = unpackPayload('telemetry', r.payload, r.payload.byteLength, { siteId: VECTOR_SITE_ID });
    if (plain.ok || plain.code !== r.reason) {
      throw new Error(`reject vector ${r.name}: ${plain.ok ? 'decodes' : `${plain.code} (${plain.message})`}`);
    }
    out.push({
      name: r.name,
      description: r.description,
      topic: TOPIC,
      reason: r.reason,
      payloadHex: r.payload.toString('hex'),
    });
  }
  return out;
}

export function vectorArtefacts(): Artefact[] {
  return vectors().map((v) => ({
    path: `tests/interop/vectors/${'reason' in v ? 'reject-' : ''}${v.name}.json`,
    bytes: json(v),
  }));
}
