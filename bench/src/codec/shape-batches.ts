/** Schema-valid vector batches of other shapes: tagged values, many targets, wide values, a day, random. */
import type { SampleInput } from '@pantau/shared';
import { seeded } from '../seeded.js';
import { daySamples } from '../synthetic-samples.js';
import { base, T0 } from './batch-helpers.js';
import type { VectorBatch } from './vector-batches.js';

export function tagged(): VectorBatch {
  const samples = [
    ['ping_failed', 1 / 3, 'bulk'],
    ['no_reply', 12.5, null],
    [null, 0.1 + 0.2, 'float'],
    ['tcp_timeout', 2 ** 60, 'unknown-99'],
  ].map(([error, volts, state], i) =>
    base(400 + i, {
      probes: {
        latency: { targets: [{ role: 'noc', host: 'noc.example', method: 'tcp', error: error as string | null }] },
        power: { source: 'command', batteryVolts: volts as number, chargeState: state as string | null },
      },
    }),
  );
  return {
    name: 'tagged',
    description:
      'Tagged columns: strings that change, with nulls, and numbers no decimal scale holds exactly (1/3, 0.1 + ' +
      '0.2, 2^60).',
    kind: 'schema',
    agentVersion: '0.1.0',
    sentAtMs: T0 + 4 * 60_000,
    samples,
  };
}

export function manyTargets(): VectorBatch {
  const target = (i: number) => ({
    role: 'internet' as const,
    host: `10.0.0.${i + 1}`,
    method: 'icmp' as const,
    sent: 1,
    received: 1,
    rttAvgMs: 20 + i,
    error: null,
  });
  return {
    name: 'spelled-fields',
    description: 'Ten latency targets: the fields of targets 8 and 9 are not in the frozen list and are spelled out.',
    kind: 'schema',
    agentVersion: '0.1.0',
    sentAtMs: T0 + 2 * 60_000,
    samples: [0, 1].map((seq) =>
      base(500 + seq, { probes: { latency: { targets: Array.from({ length: 10 }, (_, i) => target(i)) } } }),
    ),
  };
}

export function wide(): VectorBatch {
  const values = [2 ** 53 - 1, 0, 2 ** 52 + 3, 17];
  return {
    name: 'wide-values',
    description:
      'Integers up to 2^53 - 1 (fields wider than 24 bits), a sentAtMs long before the first sample, a wall ' +
      'clock of 1970.',
    kind: 'schema',
    agentVersion: 'wide',
    sentAtMs: 5,
    samples: values.map((v, i) =>
      base(i, {
        seq: v,
        wallMs: 86_400_000 + i * 61_000 + (i === 2 ? 4_000_000_000 : 0),
        clockSynced: false,
        uptimeMs: 4_102_444_800_000 - i * 1_000_000_007,
        probes: { usage: { rxBytes: v, txBytes: 2 ** 53 - 1 - Math.floor(v / 4), counterReset: i === 2 } },
      }),
    ),
  };
}

export function agentDay(): VectorBatch {
  const { samples, sentAtMs } = daySamples(355, 15);
  return {
    name: 'agent-15-minutes',
    description:
      'Fifteen minutes of the seeded day bench:wire simulates (every probe, a throughput test): a typical ' +
      'metered-profile batch.',
    kind: 'schema',
    agentVersion: '0.1.0',
    sentAtMs,
    samples,
  };
}

export function randomShapes(): VectorBatch[] {
  return [3, 17, 42].map((seed) => {
    const random = seeded(seed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const maybe = <T>(value: T): T | null => (random() < 0.2 ? null : value);
    const samples = Array.from({ length: 2 + Math.floor(random() * 20) }, (_, i) => {
      const probes: NonNullable<SampleInput['probes']> = {};
      if (random() < 0.7) {
        probes.latency = {
          targets: Array.from({ length: Math.floor(random() * 4) }, () => ({
            role: pick(['gateway', 'terminal', 'internet', 'noc'] as const),
            host: pick(['192.168.1.1', '1.1.1.1']),
            rttAvgMs: maybe(Math.round(random() * 1e5) / 1000),
            lossPct: maybe(Math.round(random() * 1000) / 10),
            error: pick([null, 'no_reply']),
          })),
          error: pick([null, 'probe_timeout']),
        };
      }
      if (random() < 0.6)
        probes.usage = { rxBytes: maybe(Math.floor(random() * 2 ** 40)), counterReset: random() < 0.1 };
      if (random() < 0.5)
        probes.uptime = { linkUp: maybe(random() < 0.9), systemUptimeMs: Math.floor(random() * 1e10) };
      return base(i, { wallMs: T0 + i * 60_000 + Math.floor(random() * 50), clockSynced: random() < 0.8, probes });
    });
    return {
      name: `random-${seed}`,
      description: `Random shapes (seed ${seed}): sections, targets, nulls and errors that come and go.`,
      kind: 'schema' as const,
      agentVersion: '0.1.0',
      sentAtMs: T0 + Math.floor(random() * 4e6),
      samples,
    };
  });
}
