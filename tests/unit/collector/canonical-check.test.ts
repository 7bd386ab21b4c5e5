import { compileCanonicalCheck, decodeIngestPayload } from '@pantau/collector';
import { payloadSchemas, siteStatusSchema, telemetryBatchSchema } from '@pantau/shared';
import { describe, expect, it } from 'vitest';
import { prng } from '../../helpers/fuzz.js';

/** A batch as the agent sends it: zod's output, so every field is present. */
const canonicalBatch = telemetryBatchSchema.parse({
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
});
const canonicalStatus = siteStatusSchema.parse({
  v: 1,
  siteId: 's1',
  state: 'online',
  reason: 'connected',
  epoch: 3,
  atMs: 1_795_392_000_000,
  bootId: 'b1',
  agentVersion: '0.1.0',
});

const clone = <T>(v: T): T => structuredClone(v);
const poison: unknown[] = [
  null,
  undefined,
  -1,
  0,
  1.5,
  2 ** 53,
  Number.POSITIVE_INFINITY,
  Number.NaN,
  '',
  'x',
  'x'.repeat(300),
  '😀'.repeat(17),
  '😀'.repeat(33),
  'é',
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

/** A copy of `v` with one random change: a value replaced, a field removed or an unknown one added. */
function mutate(v: unknown, rand: () => number): unknown {
  const copy = clone(v) as Record<string | number, unknown>;
  const all = paths(copy).filter((p) => p.length > 0);
  const path = all[Math.floor(rand() * all.length)] ?? [];
  let parent: Record<string | number, unknown> = copy;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  const key = path.at(-1) ?? 'v';
  const what = rand();
  if (what < 0.15) delete parent[key];
  else if (what < 0.25 && !Array.isArray(parent)) parent.unknownField = 1;
  else parent[key] = poison[Math.floor(rand() * poison.length)];
  return copy;
}

describe('canonical fast path of validation', () => {
  it('accepts what zod outputs, unchanged', () => {
    expect(compileCanonicalCheck(telemetryBatchSchema)(clone(canonicalBatch))).toBe(true);
    expect(compileCanonicalCheck(siteStatusSchema)(clone(canonicalStatus))).toBe(true);
  });

  it.each([
    ['telemetry', canonicalBatch, telemetryBatchSchema],
    ['status', canonicalStatus, siteStatusSchema],
  ] as const)(
    'never accepts a %s that zod rejects or would change (20,000 fuzzed messages)',
    (_, canonical, schema) => {
      const check = compileCanonicalCheck(schema);
      const rand = prng(5);
      let fastAccepted = 0;
      for (let i = 0; i < 20_000; i++) {
        const value = rand() < 0.3 ? mutate(mutate(canonical, rand), rand) : mutate(canonical, rand);
        if (!check(value)) continue;
        fastAccepted += 1;
        const parsed = schema.safeParse(value);
        expect(parsed.success, JSON.stringify(value)).toBe(true);
        expect(parsed.data).toStrictEqual(value);
      }
      // Some mutations keep a message canonical (a number for a number): the check is exercised both ways.
      expect(fastAccepted).toBeGreaterThan(100);
    },
  );

  it('measures string lengths as zod does (code points, not UTF-16 units)', () => {
    const check = compileCanonicalCheck(telemetryBatchSchema);
    // agentVersion holds at most 32: 17 emoji are 34 UTF-16 units but 17 code points.
    for (const agentVersion of ['😀'.repeat(17), '😀'.repeat(32), '😀'.repeat(33)]) {
      const value = { ...clone(canonicalBatch), agentVersion };
      expect(check(value), agentVersion).toBe(telemetryBatchSchema.safeParse(value).success);
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
    expect(compileCanonicalCheck(telemetryBatchSchema)(sparse)).toBe(false);
    const decoded = decodeIngestPayload('telemetry', Buffer.from(JSON.stringify({ ...sparse, extra: true })));
    expect(decoded.ok && decoded.value).toStrictEqual(payloadSchemas.telemetry.parse(sparse));
  });

  it('rejects with zod’s message, whichever path ran', () => {
    const bad = { ...clone(canonicalBatch), sentAtMs: -1 };
    const decoded = decodeIngestPayload('telemetry', Buffer.from(JSON.stringify(bad)));
    expect(decoded.ok).toBe(false);
    expect(!decoded.ok && decoded.message).toMatch(/^sentAtMs: /);
  });
});
