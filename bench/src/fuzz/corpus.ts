/**
 * The valid messages the fuzzer mutates, of every kind a site or the collector sends, each encoded
 * in every encoding that applies. Built from fixed seeds: the supervisor and its worker build the
 * same corpus, so a case number alone replays a case.
 */
import { encodePayload, type PayloadEncoding, payloadSchemas } from '@pantau/shared';
import { vectorBatches } from '../codec/vector-batches.js';
import { dayBatches } from '../synthetic-samples.js';

export type FuzzKind = 'telemetry' | 'status' | 'resend' | 'resend-reply';
export const FUZZ_KINDS: readonly FuzzKind[] = ['telemetry', 'status', 'resend', 'resend-reply'];
export const FUZZ_SITE = 'kutim-sangatta-01';

export interface CorpusEntry {
  readonly kind: FuzzKind;
  /** The message as zod outputs it: what its encodings carry. */
  readonly message: Record<string, unknown>;
  readonly encoded: Readonly<Partial<Record<PayloadEncoding, Buffer>>>;
}

const BOOT = '3f1c2a9e-8d7b-4c6a-9e5f-1a2b3c4d5e6f';

function telemetry(): Record<string, unknown>[] {
  const head = { v: 1, siteId: FUZZ_SITE, agentVersion: '0.1.0' };
  const fromVectors = vectorBatches()
    .filter((b) => b.kind === 'schema')
    .map((b) => ({ ...head, sentAtMs: b.sentAtMs, samples: b.samples }));
  const day = [...dayBatches(5).slice(70, 82), ...dayBatches(15).slice(20, 24)].map((b) => ({ ...head, ...b }));
  return [...fromVectors, ...day];
}

function statuses(): Record<string, unknown>[] {
  const online = {
    v: 1,
    siteId: FUZZ_SITE,
    state: 'online',
    reason: 'connected',
    epoch: 17,
    atMs: 1_795_391_990_000,
    bootId: BOOT,
    agentVersion: '0.1.0',
    configHash: 'dc1053cc2f53',
    spoolDepth: 0,
    droppedSamples: 0,
    spoolFault: null,
  };
  return [
    online,
    { ...online, state: 'offline', reason: 'connection_lost', spoolDepth: 120, spoolFault: 'disk_full' },
    {
      v: 1,
      siteId: FUZZ_SITE,
      state: 'offline',
      reason: 'shutdown',
      epoch: 0,
      atMs: 0,
      bootId: 'b',
      agentVersion: 'x',
    },
  ];
}

function resends(): Record<string, unknown>[] {
  const request = { v: 1, requestId: 'r-20261123-0001', siteId: FUZZ_SITE, fromSeq: 30, toSeq: 40, requestedAtMs: 1 };
  return [request, { ...request, requestId: 'r', fromSeq: 0, toSeq: 99_999, requestedAtMs: 1_795_392_100_000 }];
}

function replies(): Record<string, unknown>[] {
  const reply = { v: 1, requestId: 'r-20261123-0001', siteId: FUZZ_SITE, resentSamples: 6, gone: [] as unknown[] };
  return [
    reply,
    { ...reply, gone: [{ fromSeq: 30, toSeq: 34 }] },
    {
      ...reply,
      resentSamples: 0,
      gone: Array.from({ length: 40 }, (_, i) => ({ fromSeq: i * 10, toSeq: i * 10 + 4 })),
    },
  ];
}

/** A message of `kind` encoded, after its schema has parsed it (so it is typed for encodePayload). */
function encode(kind: FuzzKind, input: unknown, encoding: PayloadEncoding): Buffer {
  switch (kind) {
    case 'telemetry':
      return encodePayload(kind, payloadSchemas[kind].parse(input), encoding);
    case 'status':
      return encodePayload(kind, payloadSchemas[kind].parse(input), encoding);
    case 'resend':
      return encodePayload(kind, payloadSchemas[kind].parse(input), encoding);
    case 'resend-reply':
      return encodePayload(kind, payloadSchemas[kind].parse(input), encoding);
  }
}

function entry(kind: FuzzKind, input: Record<string, unknown>): CorpusEntry {
  const encodings: PayloadEncoding[] =
    kind === 'telemetry' ? ['json', 'deflate', 'brotli', 'columnar'] : ['json', 'deflate', 'brotli'];
  const encoded: Partial<Record<PayloadEncoding, Buffer>> = {};
  for (const e of encodings) encoded[e] = encode(kind, input, e);
  const message = JSON.parse((encoded.json as Buffer).toString('utf8')) as Record<string, unknown>;
  return { kind, message, encoded };
}

/** Every corpus entry; telemetry first. */
export function buildCorpus(): CorpusEntry[] {
  return [
    ...telemetry().map((m) => entry('telemetry', m)),
    ...statuses().map((m) => entry('status', m)),
    ...resends().map((m) => entry('resend', m)),
    ...replies().map((m) => entry('resend-reply', m)),
  ];
}
