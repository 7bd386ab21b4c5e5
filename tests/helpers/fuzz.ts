import { seeded } from '@pantau/bench/seeded';
import type { RejectReason } from '@pantau/collector';

/** A small seeded PRNG (mulberry32), so a failing case can be replayed. */
export const prng = seeded;

export interface FuzzCase {
  readonly topic: string;
  readonly payload: Buffer;
  /** The reason the collector must give; null for a good message. */
  readonly reason: RejectReason | null;
}

export const FUZZ_MAX_BYTES = 16 * 1024;

/** A valid batch for `siteId` with one synchronised sample `seq` taken a minute before `nowMs`. */
export function goodBatch(siteId: string, seq: number, nowMs: number): Record<string, unknown> {
  return {
    v: 1,
    siteId,
    agentVersion: 'fuzz',
    sentAtMs: nowMs,
    samples: [
      {
        seq,
        bootId: 'fuzz-boot',
        wallMs: nowMs - 60_000,
        clockSynced: true,
        uptimeMs: 5_000 + seq,
        probes: {
          latency: { targets: [{ role: 'gateway', host: '192.168.1.1', rttAvgMs: 1.5, error: null }], error: null },
          usage: { rxBytes: 1000, txBytes: 100, error: null },
        },
      },
    ],
  };
}

const json = (v: unknown) => Buffer.from(JSON.stringify(v));

/**
 * One bad message of a random kind, and the reason it must be rejected with. Every kind the issue
 * names: truncated, wrong types, NaN and infinities, huge arrays and strings, deep nesting, invalid
 * UTF-8, identity mismatches, timestamps far in the future or past; plus empty, unknown topics,
 * wrong versions.
 */
export function badCase(rand: () => number, nowMs: number, i: number): FuzzCase {
  const site = `f${i % 97}`;
  const topic = `pantau/v1/site/${site}/telemetry`;
  const base = goodBatch(site, 1_000_000 + i, nowMs);
  const sample = (base.samples as Record<string, unknown>[])[0] as Record<string, unknown>;
  const kind = Math.floor(rand() * 14);
  switch (kind) {
    case 0: {
      const full = json(base);
      return { topic, payload: full.subarray(0, 1 + Math.floor(rand() * (full.length - 2))), reason: 'invalid_json' };
    }
    case 1: {
      const fields = ['seq', 'bootId', 'wallMs', 'clockSynced', 'uptimeMs', 'probes'];
      const values = ['x', -1, 1.5, null, [], {}, true, 'NaN', 2 ** 60];
      const field = fields[Math.floor(rand() * fields.length)] ?? 'seq';
      let value = values[Math.floor(rand() * values.length)];
      // A few values are valid for some fields; pick one that is not.
      if (field === 'probes' && (typeof value === 'object' || value === null) && !Array.isArray(value)) value = 'x';
      if (field === 'bootId' && typeof value === 'string') value = 'not a boot id!';
      if (field === 'clockSynced' && value === true) value = 'yes';
      sample[field] = value;
      return { topic, payload: json(base), reason: 'invalid_schema' };
    }
    case 2: {
      const literal = ['NaN', 'Infinity', '-Infinity'][Math.floor(rand() * 3)];
      const text = JSON.stringify(base).replace(/"uptimeMs":\d+/, `"uptimeMs":${literal}`);
      return { topic, payload: Buffer.from(text), reason: 'invalid_json' };
    }
    case 3: {
      // 1e999 is valid JSON and parses to Infinity: the schema must refuse it.
      const text = JSON.stringify(base).replace(/"rttAvgMs":[\d.]+/, `"rttAvgMs":${rand() < 0.5 ? '' : '-'}1e999`);
      return { topic, payload: Buffer.from(text), reason: 'invalid_schema' };
    }
    case 4: {
      base.samples = Array.from({ length: 1441 + Math.floor(rand() * 10) }, () => 0);
      return { topic, payload: json(base), reason: 'invalid_schema' };
    }
    case 5: {
      sample.bootId = 'a'.repeat(FUZZ_MAX_BYTES + Math.floor(rand() * 1000));
      return { topic, payload: json(base), reason: 'too_large' };
    }
    case 6: {
      base.agentVersion = 'v'.repeat(33 + Math.floor(rand() * 2000));
      return { topic, payload: json(base), reason: 'invalid_schema' };
    }
    case 7: {
      // Nesting past 32 is refused before the JSON is parsed (docs/protocol.md, "Encoded payloads").
      const depth = 100 + Math.floor(rand() * 5000);
      const text = `{"v":1,"siteId":"${site}","samples":${'['.repeat(depth)}${']'.repeat(depth)}}`;
      return { topic, payload: Buffer.from(text), reason: 'limit_exceeded' };
    }
    case 8: {
      const full = json(base);
      const at = Math.floor(rand() * full.length);
      const bad = [0xff, 0xc0, 0xed, 0xf8][Math.floor(rand() * 4)] ?? 0xff;
      // 0xed 0xa0 starts a UTF-16 surrogate: invalid in UTF-8 too.
      const bytes = Buffer.concat([
        full.subarray(0, at),
        Buffer.from(bad === 0xed ? [0xed, 0xa0, 0x80] : [bad]),
        full.subarray(at),
      ]);
      return { topic, payload: bytes, reason: 'invalid_utf8' };
    }
    case 9:
      return { topic: `pantau/v1/site/other-${i % 13}/telemetry`, payload: json(base), reason: 'site_mismatch' };
    case 10: {
      const far =
        Math.floor(rand() * 2) === 0
          ? nowMs + 2 * 86_400_000 + Math.floor(rand() * 1e12)
          : Math.floor(rand() * (nowMs - 92 * 86_400_000));
      sample.wallMs = far;
      return { topic, payload: json(base), reason: 'time_out_of_bounds' };
    }
    case 11:
      return { topic, payload: Buffer.alloc(0), reason: 'empty' };
    case 12: {
      const topics = [
        'pantau/v1/site/BAD SITE/telemetry',
        'pantau/v1/site/x/unknown',
        'other/v1/site/x/telemetry',
        'pantau/v1/site/x/resend',
      ];
      return { topic: topics[Math.floor(rand() * topics.length)] ?? '', payload: json(base), reason: 'unknown_topic' };
    }
    default: {
      base.v = [2, 0, '1', null][Math.floor(rand() * 4)];
      return { topic, payload: json(base), reason: 'unsupported_version' };
    }
  }
}
