import { deflateRawSync } from 'node:zlib';
import { decodeIngestPayload } from '@pantau/collector';
import { COLUMNAR_DICTIONARY_V2, decodePayload, encodePayload, type SampleInput } from '@pantau/shared';
import { describe, expect, it } from 'vitest';
import { prng } from '../../helpers/fuzz.js';

/**
 * Property tests for the binary columnar encoding: random batches of every shape the schema allows
 * decode to exactly what plain JSON decodes to, and damaged payloads are rejected with a stable
 * code, never a throw. Seeded, so a failure replays.
 */
/** The site a columnar batch's topic names. */
const SITE = { siteId: 'kutim-sangatta-01' };
const site = (message: { siteId: string }) => ({ siteId: message.siteId });
const ODD_NUMBERS = [0, -0, 0.1 + 0.2, 1e-7, 1e21, 2 ** 53 - 1, 2 ** 50 + 1, 123.456789012, 5e-324, 42.367, 1 / 3];
const ERRORS = [null, 'timeout', 'no_reply', 'probe_failed', 'skipped_budget'];

function sampleGenerator(random: () => number) {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const maybe = <T>(value: T, nullShare = 0.15): T | null => (random() < nullShare ? null : value);
  const decimal = (scale: number, max: number) => Math.round(random() * max * 10 ** scale) / 10 ** scale;
  const number = () => (random() < 0.1 ? Math.abs(pick(ODD_NUMBERS)) : decimal(Math.floor(random() * 5), 1000));
  const target = () => ({
    role: pick(['gateway', 'terminal', 'internet', 'noc'] as const),
    host: pick(['192.168.1.1', '1.1.1.1', 'noc.example']),
    method: pick(['icmp', 'tcp'] as const),
    sent: maybe(3),
    received: maybe(Math.floor(random() * 4)),
    lossPct: maybe(decimal(1, 100)),
    rttMinMs: maybe(number()),
    rttAvgMs: maybe(number()),
    rttMaxMs: maybe(number()),
    jitterMs: maybe(number()),
    error: pick(ERRORS),
  });
  return (seq: number): SampleInput => {
    const probes: NonNullable<SampleInput['probes']> = {};
    if (random() < 0.8) {
      probes.latency = { targets: Array.from({ length: Math.floor(random() * 5) }, target), error: pick(ERRORS) };
    }
    if (random() < 0.7) {
      probes.power = {
        source: pick(['vedirect', 'epever', 'hwmon', null] as const),
        batteryVolts: maybe(random() < 0.2 ? pick(ODD_NUMBERS) : decimal(3, 15)),
        batteryAmps: maybe(decimal(2, 20) - 10),
        batteryTempCelsius: maybe(decimal(1, 80) - 20),
        chargeState: maybe(pick(['bulk', 'absorption', 'float', 'off', 'unknown-99'])),
        chargerError: maybe(Math.floor(random() * 5) - 1),
        underVoltageNow: maybe(random() < 0.5),
        throttledFlags: maybe(pick([0, 1, 65536, 0x50005])),
        error: pick(ERRORS),
      };
    }
    if (random() < 0.7) {
      probes.usage = {
        source: pick(['interface', 'snmp', null] as const),
        rxBytes: maybe(Math.floor(random() * 2 ** 40)),
        txBytes: maybe(Math.floor(random() * 2 ** 20)),
        peakRxBitsPerSec: maybe(number()),
        counterReset: random() < 0.1,
        budgetUsedBytes: maybe(Math.floor(random() * 1e9)),
        error: pick(ERRORS),
      };
    }
    if (random() < 0.3) probes.throughput = { endpointHost: 'speed.example', downMs: maybe(812), error: pick(ERRORS) };
    if (random() < 0.5) probes.clients = { source: 'dhcp', clientsInterval: maybe(Math.floor(random() * 30)) };
    if (random() < 0.6) {
      probes.uptime = {
        systemUptimeMs: maybe(Math.floor(random() * 1e10)),
        linkUp: maybe(random() < 0.9),
        routerUptimeMs: null,
      };
    }
    return {
      seq,
      bootId: random() < 0.9 ? 'b1' : 'b2',
      wallMs:
        random() < 0.1 ? Math.floor(random() * 1e6) : 1_795_392_000_000 + seq * 60_000 + Math.floor(random() * 50),
      clockSynced: random() < 0.8,
      uptimeMs: Math.floor(random() * 1e9),
      probes,
    };
  };
}

function randomBatch(seed: number) {
  const random = prng(seed);
  const sample = sampleGenerator(random);
  const count = 1 + Math.floor(random() ** 2 * 60);
  const first = Math.floor(random() * 1e6);
  return {
    v: 1 as const,
    siteId: 'kutim-sangatta-01',
    agentVersion: '0.1.0',
    sentAtMs: Math.floor(random() * 4e12),
    samples: Array.from({ length: count }, (_, i) => sample(first + i)),
  };
}

/** JSON text with every object's keys sorted. */
function sortedJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

describe('columnar round trip (property)', () => {
  it('decodes 300 random batches to exactly what their plain JSON decodes to', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const message = randomBatch(seed);
      const plain = decodePayload('telemetry', encodePayload('telemetry', message));
      const columnar = decodePayload(
        'telemetry',
        encodePayload('telemetry', message, 'columnar'),
        undefined,
        site(message),
      );
      expect(plain.ok, `seed ${seed}`).toBe(true);
      expect(columnar, `seed ${seed}`).toEqual(plain);
      // toEqual treats -0 and 0 alike, as JSON does; numbers otherwise must match bit for bit. Key
      // order is not compared: a canonical plain message keeps its own (the validator's fast path).
      if (columnar.ok && plain.ok) expect(sortedJson(columnar.value)).toBe(sortedJson(plain.value));
    }
  });
});

describe('columnar round trip of uniform batches (every sample has every field)', () => {
  it('decodes them to exactly what their plain JSON decodes to', () => {
    // The collector's decoder builds such samples as one object literal each
    // (collector/src/decode/sample-builders.ts), shared's field by field: both must give the plain form.
    for (let seed = 1; seed <= 200; seed++) {
      const { samples, ...head } = randomBatch(seed);
      const first = samples[0] as SampleInput;
      const uniform = {
        ...head,
        samples: Array.from({ length: 1 + (seed % 12) }, (_, i) => ({
          ...first,
          seq: first.seq + i,
          wallMs: first.wallMs + i * 60_000 + (seed % 7),
          uptimeMs: first.uptimeMs + i * 59_999,
        })),
      };
      const plain = decodePayload('telemetry', encodePayload('telemetry', uniform));
      const payload = encodePayload('telemetry', uniform, 'columnar');
      const columnar = decodeIngestPayload('telemetry', payload, undefined, SITE);
      expect(plain.ok, `seed ${seed}`).toBe(true);
      expect(columnar, `seed ${seed}`).toEqual(plain);
      if (columnar.ok && plain.ok) expect(sortedJson(columnar.value)).toBe(sortedJson(plain.value));
      // The collector's generated builder and shared's plain one make the same objects, in the same order.
      const shared = decodePayload('telemetry', payload, undefined, SITE);
      expect(JSON.stringify(columnar)).toBe(JSON.stringify(shared));
    }
  });
});

describe('columnar round trip of agent-shaped values', () => {
  it('keeps means of echoes, jitters and clocks that move together exact', () => {
    const random = prng(5);
    const round3 = (x: number) => Math.round(x * 1000) / 1000;
    const samples = Array.from({ length: 40 }, (_, i) => {
      // iputils prints 42.3 (>= 10 ms), 1.23 (>= 1 ms), 0.456: the agent averages those.
      const echoes = (base: number, digits: number) =>
        Array.from({ length: random() < 0.2 ? 2 : 3 }, () => Number((base * (0.9 + random() * 0.3)).toFixed(digits)));
      const target = (role: 'gateway' | 'internet', base: number, digits: number) => {
        const rtts = echoes(base, digits);
        const diffs = rtts.slice(1).reduce((sum, v, j) => sum + Math.abs(v - (rtts[j] as number)), 0);
        return {
          role,
          host: role === 'gateway' ? '192.168.1.1' : '1.1.1.1',
          sent: 3,
          received: rtts.length,
          rttMinMs: Math.min(...rtts),
          rttAvgMs: round3(rtts.reduce((a, b) => a + b, 0) / rtts.length),
          rttMaxMs: Math.max(...rtts),
          jitterMs: round3(diffs / (rtts.length - 1)),
          error: null,
        };
      };
      const lateMs = Math.round(random() * 40);
      return {
        seq: 1000 + i,
        bootId: 'b1',
        wallMs: 1_795_392_000_000 + i * 60_000 + lateMs,
        clockSynced: true,
        uptimeMs: 86_400_000 + i * 60_000 + lateMs,
        probes: {
          latency: { targets: [target('gateway', 0.5, 3), target('internet', 42, 1)], error: null },
          uptime: {
            systemUptimeMs: Math.floor((86_400_000 + i * 60_000 + lateMs) / 10) * 10,
            agentUptimeMs: 86_310_000 + i * 60_000 + lateMs,
          },
        },
      };
    });
    for (const count of [1, 2, 5, 15, 40]) {
      const message = {
        v: 1 as const,
        siteId: 's1',
        agentVersion: '0.1.0',
        sentAtMs: 1,
        samples: samples.slice(0, count),
      };
      const plain = decodePayload('telemetry', encodePayload('telemetry', message));
      const columnar = decodePayload(
        'telemetry',
        encodePayload('telemetry', message, 'columnar'),
        undefined,
        site(message),
      );
      expect(columnar, `${count} samples`).toEqual(plain);
    }
  });
});

describe('columnar decoder on damaged input', () => {
  const codes = new Set([
    'invalid_compression',
    'invalid_utf8',
    'limit_exceeded',
    'invalid_schema',
    'unsupported_version',
    'too_large',
  ]);

  it('rejects every truncation of a payload with a stable code', () => {
    const payload = encodePayload('telemetry', randomBatch(7), 'columnar');
    for (let length = 1; length < payload.byteLength; length++) {
      const decoded = decodePayload('telemetry', payload.subarray(0, length), undefined, SITE);
      expect(decoded.ok, `length ${length}`).toBe(false);
      if (!decoded.ok) expect(codes.has(decoded.code), `${length}: ${decoded.code}`).toBe(true);
    }
  });

  it('never throws on flipped bytes, and rejects with a stable code when it rejects', () => {
    const random = prng(99);
    for (let round = 0; round < 500; round++) {
      const payload = Buffer.from(encodePayload('telemetry', randomBatch(round % 20), 'columnar'));
      const flips = 1 + Math.floor(random() * 3);
      for (let f = 0; f < flips; f++) {
        const at = 1 + Math.floor(random() * (payload.byteLength - 1));
        payload[at] = (payload[at] ?? 0) ^ (1 + Math.floor(random() * 255));
      }
      const decoded = decodePayload('telemetry', payload, undefined, SITE);
      if (!decoded.ok) expect(codes.has(decoded.code), decoded.code).toBe(true);
    }
  });

  it('rejects a structure whose fields would reach a prototype or do not fit the sample', () => {
    const dictionary = Buffer.from(COLUMNAR_DICTIONARY_V2, 'base64');
    const pack = (structure: number[], bits: number[]) => {
      const deflated = deflateRawSync(Buffer.from(structure), { dictionary });
      return Buffer.concat([Buffer.from([0x04, deflated.byteLength]), deflated, Buffer.from(bits)]);
    };
    const head = [1, 1, 0x78, 1]; // v 1, agentVersion "x", 1 sample
    const path = (p: unknown[]) => {
      const text = Buffer.from(JSON.stringify(p));
      return [0, text.byteLength, ...text];
    };
    // A wallMs column (field 3, a constant int), then one more column; the value bits hold only
    // sentAtMs (a zero-length number).
    const wallMs = [3, 0, 3, 0x01];
    const rejects = (structure: number[], reason: RegExp, columns = 2) => {
      const decoded = decodePayload(
        'telemetry',
        pack([...head, columns, ...wallMs, ...structure], [0]),
        undefined,
        SITE,
      );
      expect(decoded).toMatchObject({ ok: false, code: 'invalid_compression' });
      expect(!decoded.ok && decoded.message).toMatch(reason);
    };
    rejects([...path(['__proto__', 'x']), 0, 0], /bad field path/);
    // `probes.latency` an empty array, then a named field inside it.
    rejects([...path(['probes', 'latency']), 0, 7, 9, 0, 0], /does not fit/, 3);
    rejects([1, 0, 3, 0x05, 1, 0, 3, 0x06], /given twice/, 3);
    rejects([0xc8, 0x01, 0, 0], /unknown field 200/);
    rejects([1, 0, 9], /unknown value tag 9/);
    rejects([1, 0, 0, 0xff], /bytes after the last column/);
    // The same with nothing wrong decodes (to a batch the schema then checks).
    expect(decodePayload('telemetry', pack([...head, 2, ...wallMs, 1, 0, 0], [0]), undefined, SITE)).toMatchObject({
      ok: false,
      code: 'invalid_schema',
    });
  });
});
