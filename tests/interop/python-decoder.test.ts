import { dayBatches } from '@pantau/bench/synthetic-samples';
import { encodePayload, unpackPayload } from '@pantau/shared';
import { describe, expect, it } from 'vitest';
import { decodeWithPython, type PythonRequest } from './python-decoder.js';
import { loadVectors, siteOf } from './vectors.js';

/**
 * docs/columnar.md is complete: a decoder written from it alone, in Python with its standard
 * library (decode_columnar.py), decodes every test vector and every batch of bench:wire's simulated
 * day to the same JSON as the TypeScript decoder, and rejects every reject vector.
 */
const SITE = 'kutim-sangatta-01';
const { accepted, rejected } = loadVectors();

/** The day bench:wire measures, as agents delivering every 5 and 15 minutes send it, and as one batch. */
function dayRequests(): PythonRequest[] {
  return [5, 15, 1440].flatMap((minutes) =>
    dayBatches(minutes).map(({ samples, sentAtMs }, i) => {
      const payload = encodePayload(
        'telemetry',
        { v: 1, siteId: SITE, agentVersion: '0.1.0', sentAtMs, samples },
        'columnar',
      );
      return { id: `day-${minutes}-${i}`, siteId: SITE, payloadHex: payload.toString('hex') };
    }),
  );
}

/** What the TypeScript decoder makes of a request, as JSON text (numbers as JavaScript writes them). */
function typescriptJson(request: PythonRequest): string | null {
  const payload = Buffer.from(request.payloadHex, 'hex');
  const decoded = unpackPayload('telemetry', payload, payload.byteLength, { siteId: request.siteId });
  return decoded.ok ? JSON.stringify(decoded.value) : null;
}

/** Every coding docs/columnar.md names, as decode_columnar.py reports what it saw. */
const CODINGS = [
  ...['constant', 'number', 'boolean', 'tagged'].flatMap((k) => [`kind ${k}`, `kind ${k} partial`]),
  ...Array.from({ length: 9 }, (_, t) => `tag ${t}`),
  ...Array.from({ length: 10 }, (_, s) => `scale ${s}`),
  ...[1, 2, 3, 6].map((d) => `divisor ${d}`),
  ...[0, 1, 2, 3].map((p) => `drop ${p}`),
  'reference distance 1',
  'reference distance 16',
  'delta',
  'plain',
  'nulls in number',
  'nulls in boolean',
  'field from the list',
  'field spelled out',
  'sentAtMs before wallMs',
  'sentAtMs from wallMs',
];

describe('the independent Python decoder (tests/interop/decode_columnar.py)', () => {
  it('decodes every vector and a day of batches to the same JSON, rejects every reject vector', async () => {
    const requests: PythonRequest[] = [
      ...accepted.map((v) => ({ id: v.name, siteId: siteOf(v.topic), payloadHex: v.payloadHex })),
      ...rejected.map((v) => ({ id: `reject-${v.name}`, siteId: siteOf(v.topic), payloadHex: v.payloadHex })),
      ...dayRequests(),
    ];
    expect(requests.length).toBe(accepted.length + rejected.length + 288 + 96 + 1);
    const { answers, coverage } = await decodeWithPython(requests);
    expect(answers.map((a) => a.id)).toEqual(requests.map((r) => r.id));
    for (const [i, request] of requests.entries()) {
      const answer = answers[i];
      const expected = typescriptJson(request);
      if (expected === null) {
        expect(answer?.ok, `${request.id} must be rejected`).toBe(false);
        continue;
      }
      expect(answer?.ok, `${request.id}: ${answer?.ok === false ? answer.error : ''}`).toBe(true);
      // Through JSON.parse, so both sides' numbers are binary64 written the JavaScript way.
      if (answer?.ok === true) expect(JSON.stringify(answer.batch), request.id).toBe(expected);
    }
    expect(CODINGS.filter((c) => !coverage.includes(c))).toEqual([]);
  }, 180_000);
});
