import { decodePayload, type Sample, type TelemetryBatch } from '@pantau/shared';

/**
 * A store that keeps a batch's payload as its raw record (SQLite) reads a sample's probes back from
 * it. The payload passed the same decoder at ingest, so it decodes again to the same batch.
 */
export function probesInPayload(
  payload: Uint8Array,
  siteId: string,
  bootId: string,
  seq: number,
): Sample['probes'] | undefined {
  // The size limit was checked when the message arrived; the column site comes from its topic.
  const decoded = decodePayload('telemetry', payload, payload.byteLength, { siteId });
  if (!decoded.ok) return undefined;
  return decoded.value.samples.find((s) => s.bootId === bootId && s.seq === seq)?.probes;
}

/** A batch handed over without its payload (tests, tools) is kept as plain JSON, which decodes alike. */
export function payloadOf(batch: TelemetryBatch, payload: Uint8Array | undefined): Buffer {
  if (payload === undefined) return Buffer.from(JSON.stringify(batch), 'utf8');
  return Buffer.isBuffer(payload) ? payload : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
}
