import { compileCanonicalCheck, decodeIngestPayload, hasRefinement } from '@pantau/collector';
import { decodePayload, type PayloadKind, payloadSchemas } from '@pantau/shared';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';

/**
 * The compiled canonical check in front of zod (collector/src/decode/canonical-check.ts) may make
 * ingest faster, never different: it accepts only what zod would return unchanged. Checked here on
 * every single change of a canonical message of each kind (each field removed, an unknown one
 * added, each value replaced by each of a list of poison values): deterministic and quick. The
 * random, thorough search is `pnpm fuzz`, which compares the collector's decoder with the plain one
 * on every payload it makes.
 */
const canonical: Record<PayloadKind, unknown> = {
  telemetry: payloadSchemas.telemetry.parse({
    v: 1,
    siteId: 'kutim-sangatta-01',
    agentVersion: '0.1.0',
    sentAtMs: 1_795_392_000_000,
    samples: [0, 1].map((seq) => ({
      seq,
      bootId: '3f1c2a9e-8d7b-4c6a-9e5f-1a2b3c4d5e6f',
      wallMs: 1_795_392_000_000 + seq * 60_000,
      clockSynced: seq === 1,
      uptimeMs: 86_400_000,
      probes: {
        latency: { targets: [{ role: 'gateway', host: '192.168.1.1', rttAvgMs: 0.5, sent: 3, received: 3 }] },
        uptime: { systemUptimeMs: 86_400_000, linkUp: true },
        usage: { source: 'interface', interface: 'eth1', rxBytes: 48_211_733, txBytes: 5_120_877 },
        clients: { source: 'dhcp', clientsInterval: 7 },
        power: { source: 'vedirect', batteryVolts: 12.71, chargeState: 'bulk', chargerError: -3 },
        throughput: { endpointHost: 'noc.example', downBitsPerSec: 1.5e7 },
      },
    })),
  }),
  status: payloadSchemas.status.parse({
    v: 1,
    siteId: 's1',
    state: 'online',
    reason: 'connected',
    epoch: 3,
    atMs: 1_795_392_000_000,
    bootId: 'b1',
    agentVersion: '0.1.0',
  }),
  resend: payloadSchemas.resend.parse({ v: 1, requestId: 'r1', siteId: 's1', fromSeq: 5, toSeq: 9, requestedAtMs: 1 }),
  'resend-reply': payloadSchemas['resend-reply'].parse({
    v: 1,
    requestId: 'r1',
    siteId: 's1',
    resentSamples: 3,
    gone: [{ fromSeq: 1, toSeq: 2 }],
  }),
  alert: payloadSchemas.alert.parse({
    v: 1,
    siteId: 's1',
    kind: 'offline',
    state: 'firing',
    severity: 'critical',
    cause: 'power',
    summary: 'site offline since 1',
    startsAtMs: 1,
    atMs: 2,
  }),
};

const POISON: unknown[] = [
  null,
  -1,
  0,
  1.5,
  2 ** 53,
  Number.POSITIVE_INFINITY,
  Number.NaN,
  '',
  'x'.repeat(300),
  '😀'.repeat(17),
  '😀'.repeat(33),
  true,
  [],
  {},
  'icmp',
  'gateway',
  4_102_444_800_001,
  [1],
];

/** Every path to a value inside `v` (object keys and array indices). */
function paths(v: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (v === null || typeof v !== 'object') return [prefix];
  const entries = Array.isArray(v) ? v.map((x, i) => [i, x] as const) : Object.entries(v);
  return [prefix, ...entries.flatMap(([k, x]) => paths(x, [...prefix, k]))];
}

/** `v` with one change at `path`: removed, replaced, or an unknown field beside it (as JSON can have it). */
function changed(v: unknown, path: (string | number)[], change: 'remove' | 'unknown' | { value: unknown }): unknown {
  const copy = structuredClone(v) as Record<string | number, unknown>;
  let parent = copy;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  const key = path.at(-1) as string | number;
  if (change === 'remove') {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  } else if (change === 'unknown') parent.unknownField = 1;
  else parent[key] = change.value;
  return copy;
}

function* everyChange(v: unknown): Generator<unknown> {
  for (const path of paths(v).filter((p) => p.length > 0)) {
    yield changed(v, path, 'remove');
    if (typeof path.at(-1) === 'string') yield changed(v, path, 'unknown');
    for (const value of POISON) yield changed(v, path, { value });
  }
}

const kinds = Object.keys(canonical) as PayloadKind[];

describe('canonical fast path of validation', () => {
  it.each(kinds)('accepts a canonical %s unchanged (or leaves a kind with refinements to zod)', (kind) => {
    const check = compileCanonicalCheck(payloadSchemas[kind]);
    expect(check(structuredClone(canonical[kind]))).toBe(!hasRefinement(payloadSchemas[kind]));
  });

  it.each(kinds)('never accepts a %s that zod rejects or would change, whatever one field holds', (kind) => {
    const schema: z.ZodType = payloadSchemas[kind];
    const check = compileCanonicalCheck(schema);
    let changes = 0;
    let fastAccepted = 0;
    for (const value of everyChange(canonical[kind])) {
      changes += 1;
      if (!check(value)) continue;
      fastAccepted += 1;
      const parsed = schema.safeParse(value);
      expect(parsed.success, JSON.stringify(value)).toBe(true);
      expect(parsed.data).toStrictEqual(value);
    }
    expect(changes).toBeGreaterThan(50);
    // Some changes keep a message canonical (a number for a number): the check is exercised both ways.
    if (!hasRefinement(schema)) expect(fastAccepted).toBeGreaterThan(5);
  });

  it('leaves schemas with refinements (a range that must not run backwards) to zod', () => {
    expect(kinds.filter((k) => hasRefinement(payloadSchemas[k]))).toEqual(['resend', 'resend-reply']);
    const backwards = { ...(canonical['resend-reply'] as object), gone: [{ fromSeq: 9, toSeq: 2 }] };
    const payload = Buffer.from(JSON.stringify(backwards));
    expect(decodeIngestPayload('resend-reply', payload)).toMatchObject({ ok: false, code: 'invalid_schema' });
  });

  it('measures string lengths as zod does (code points, not UTF-16 units)', () => {
    const check = compileCanonicalCheck(payloadSchemas.telemetry);
    // agentVersion holds at most 32: 17 emoji are 34 UTF-16 units but 17 code points.
    for (const agentVersion of ['😀'.repeat(17), '😀'.repeat(32), '😀'.repeat(33)]) {
      const value = { ...(structuredClone(canonical.telemetry) as object), agentVersion };
      expect(check(value), agentVersion).toBe(payloadSchemas.telemetry.safeParse(value).success);
    }
  });

  it('leaves a message with a default left out, or an unknown field, to zod', () => {
    const sparse = {
      v: 1,
      siteId: 's1',
      agentVersion: 'x',
      sentAtMs: 1,
      samples: [{ seq: 1, bootId: 'b', wallMs: 1, clockSynced: true, uptimeMs: 1 }],
    };
    expect(compileCanonicalCheck(payloadSchemas.telemetry)(sparse)).toBe(false);
    const decoded = decodeIngestPayload('telemetry', Buffer.from(JSON.stringify({ ...sparse, extra: true })));
    expect(decoded.ok && decoded.value).toStrictEqual(payloadSchemas.telemetry.parse(sparse));
  });

  it('rejects with zod’s message, whichever path ran', () => {
    const bad = Buffer.from(JSON.stringify({ ...(structuredClone(canonical.telemetry) as object), sentAtMs: -1 }));
    const decoded = decodeIngestPayload('telemetry', bad);
    expect(decoded).toEqual(decodePayload('telemetry', bad));
    expect(!decoded.ok && decoded.message).toMatch(/^sentAtMs: /);
  });
});
