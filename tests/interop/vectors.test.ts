import { columnarParts, VECTOR_SITE_ID } from '@pantau/bench/codec-artefacts';
import { decodeIngestPayload } from '@pantau/collector';
import { decodePayload, encodePayload, packColumnar, type TelemetryBatchInput, unpackPayload } from '@pantau/shared';
import { describe, expect, it } from 'vitest';
import { loadVectors, siteOf } from './vectors.js';

/**
 * The columnar test vectors (docs/columnar.md, "Test vectors") against the TypeScript codec: each
 * payload decodes to its batch, Pantau's encoder makes each payload again byte for byte (so a change
 * in what sites send fails here, stream by stream), and every reject vector is rejected, by the
 * plain decoder and the collector's alike.
 */
const { accepted, rejected } = loadVectors();
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** The inflated structure and the value bits of a payload, as the vectors show them. */
function streams(payload: Uint8Array): { structureHex: string; valueBitsHex: string } {
  const { structure, values } = columnarParts(payload);
  return { structureHex: hex(structure), valueBitsHex: hex(values) };
}

describe('columnar test vectors', () => {
  it('are there: accepted ones and one reject per rule', () => {
    expect(accepted.length).toBeGreaterThanOrEqual(18);
    expect(rejected.length).toBeGreaterThanOrEqual(38);
  });

  it.each(accepted.map((v) => [v.name, v] as const))('%s decodes to its batch', (_, vector) => {
    const payload = Buffer.from(vector.payloadHex, 'hex');
    const decoded = unpackPayload('telemetry', payload, payload.byteLength, { siteId: siteOf(vector.topic) });
    expect(decoded.ok && decoded.value).toEqual(vector.batch);
    // Member order too: it is the columns' order.
    expect(JSON.stringify(decoded.ok && decoded.value)).toBe(JSON.stringify(vector.batch));
  });

  it.each(accepted.map((v) => [v.name, v] as const))('%s: both decoders agree on it', (_, vector) => {
    const payload = Buffer.from(vector.payloadHex, 'hex');
    const context = { siteId: siteOf(vector.topic) };
    expect(decodeIngestPayload('telemetry', payload, undefined, context)).toEqual(
      decodePayload('telemetry', payload, undefined, context),
    );
  });

  const encoded = accepted.filter((v) => v.encoder !== 'by hand');
  it.each(encoded.map((v) => [v.name, v] as const))('%s is what the encoder writes', (_, vector) => {
    const { siteId: _site, samples, ...head } = vector.batch as TelemetryBatchInput;
    const payload =
      vector.encoder === 'encodePayload'
        ? encodePayload('telemetry', vector.batch as TelemetryBatchInput, 'columnar')
        : Buffer.concat([Buffer.from([4]), packColumnar(head, samples) ?? Buffer.alloc(0)]);
    // Stream by stream first, so a change shows where it is.
    expect(streams(payload)).toEqual({ structureHex: vector.structureHex, valueBitsHex: vector.valueBitsHex });
    expect(hex(payload)).toBe(vector.payloadHex);
  });

  it.each(rejected.map((v) => [v.name, v] as const))('reject-%s is rejected', (_, vector) => {
    const payload = Buffer.from(vector.payloadHex, 'hex');
    const context = { siteId: VECTOR_SITE_ID };
    const plain = unpackPayload('telemetry', payload, payload.byteLength, context);
    expect(plain).toMatchObject({ ok: false, code: vector.reason });
    expect(decodeIngestPayload('telemetry', payload, payload.byteLength, context)).toMatchObject({
      ok: false,
      code: vector.reason,
    });
  });
});
