/**
 * The batches the columnar test vectors are made of (tests/interop/vectors/), each chosen to show
 * codings of docs/columnar.md. `schema` batches go through encodePayload (the schema first, as an
 * agent sends them); `format` batches are any JSON samples, packed as they are, for codings the
 * schema never makes (a constant empty array in a spelled-out field, a mix of types in a column).
 */
import type { SampleInput } from '@pantau/shared';
import { seeded } from '../seeded.js';
import { DAY_START_MS, daySamples } from '../synthetic-samples.js';

export interface VectorBatch {
  readonly name: string;
  readonly description: string;
  readonly kind: 'schema' | 'format';
  readonly agentVersion: string;
  readonly sentAtMs: number;
  readonly samples: readonly unknown[];
}

const BOOT = '3f1c2a9e-8d7b-4c6a-9e5f-1a2b3c4d5e6f';
const T0 = DAY_START_MS;

const base = (seq: number, extra: Partial<SampleInput> = {}): SampleInput => ({
  seq,
  bootId: BOOT,
  wallMs: T0 + seq * 60_000,
  clockSynced: true,
  uptimeMs: 3_600_000 + seq * 60_000,
  ...extra,
});

/**
 * A mean of `echoes` RTTs printed with `echoDecimals` decimals, as the agent rounds it (three
 * decimals): the sum at `echoDecimals` over the count is a divisor coding with a drop of
 * 3 - echoDecimals.
 */
function meanOf(random: () => number, echoes: number, echoDecimals: number): number {
  let sum = 0;
  for (let e = 0; e < echoes; e++) sum += Math.round(random() * 900 * 10 ** echoDecimals);
  return Math.round((sum / echoes) * 10 ** (3 - echoDecimals)) / 1000;
}

function minimal(): VectorBatch {
  return {
    name: 'minimal',
    description: 'One sample with only the required fields: lone numbers are number columns, the rest constants.',
    kind: 'schema',
    agentVersion: '0.1.0',
    sentAtMs: T0 + 1500,
    samples: [base(0)],
  };
}

function constants(): VectorBatch {
  const sample = (seq: number): SampleInput =>
    base(seq, {
      wallMs: T0 + seq * 60_000 + (seq % 3) * 7,
      probes: {
        latency: { targets: [], error: 'no_targets' },
        uptime: { linkUp: true, previousRunClean: false, routerUptimeMs: null, error: null },
        power: { source: 'epever', batteryVolts: 12.71, chargerError: -3, throttledFlags: 0, error: null },
      },
    });
  return {
    name: 'constants',
    description:
      'Constant columns of every tag a schema-valid batch has: null, false, true, int, negative int, float, string and empty array.',
    kind: 'schema',
    agentVersion: '0.1.0',
    sentAtMs: T0 + 4 * 60_000 + 12,
    samples: [0, 1, 2, 3].map(sample),
  };
}

function formatConstants(): VectorBatch {
  const sample = (seq: number) => ({
    seq,
    bootId: 'b',
    wallMs: 1000 + seq,
    clockSynced: true,
    uptimeMs: 5,
    probes: {},
    extra: { big: 2 ** 53 - 1, minusZero: 0, tiny: 5e-324, huge: 1e21, empty: [], emptyObject: {}, text: 'naïve ✓' },
  });
  return {
    name: 'format-constants',
    description:
      'Constants of every tag in spelled-out fields, among them an empty object, the largest varint and floats at the edges of binary64.',
    kind: 'format',
    agentVersion: 'format',
    sentAtMs: 999,
    samples: [0, 1].map(sample),
  };
}

function numbers(): VectorBatch {
  const random = seeded(11);
  const samples = Array.from({ length: 12 }, (_, i) => {
    const lateMs = Math.round(random() * 40);
    return base(100 + i, {
      wallMs: T0 + i * 60_000 + lateMs,
      uptimeMs: 7_200_000 + i * 60_000 + lateMs,
      probes: {
        usage: {
          source: 'interface',
          interface: 'eth1',
          intervalMs: 60_000 + Math.round((random() - 0.5) * 40),
          rxBytes: Math.round(random() * 2 ** 44),
          txBytes: Math.round(random() * 3_000_000),
          budgetUsedBytes: 1_830_211 + i * 700,
          error: null,
        },
        power: {
          source: 'vedirect',
          batteryVolts: Math.round((12 + random()) * 100) / 100,
          batteryAmps: Math.round((random() - 0.5) * 20_000) / 1000,
          batteryTempCelsius: Math.round(random() * 400) / 10,
          panelVolts: Math.round(random() * 2e8) / 1e7,
          solarWatts: Math.round(random() * 90),
          error: null,
        },
      },
    });
  });
  return {
    name: 'numbers',
    description:
      'Number columns packed plain and as differences, at several scales, one of them against an earlier column (uptime against wall time).',
    kind: 'schema',
    agentVersion: '0.1.0',
    sentAtMs: T0 + 12 * 60_000,
    samples,
  };
}

function scales(): VectorBatch {
  const random = seeded(12);
  const samples = Array.from({ length: 6 }, (_, i) => {
    const extra: Record<string, number> = {};
    for (let s = 0; s <= 9; s++) extra[`s${s}`] = Math.round(random() * 10 ** (s + 2)) / 10 ** s + (s === 0 ? 1 : 0);
    return { seq: i, bootId: 'b', wallMs: 1_000_000 + i * 1000, clockSynced: true, uptimeMs: i, scaled: extra };
  });
  return {
    name: 'format-scales',
    description: 'One number column at each decimal scale, 0 to 9.',
    kind: 'format',
    agentVersion: 'format',
    sentAtMs: 1_006_000,
    samples,
  };
}

function latency(): VectorBatch {
  const random = seeded(13);
  const samples = Array.from({ length: 10 }, (_, i) => {
    const target = (
      role: 'gateway' | 'terminal' | 'internet' | 'noc',
      host: string,
      echoes: number,
      digits: number,
    ) => {
      const rttMinMs = Math.round(random() * 900 * 10 ** digits) / 10 ** digits + (role === 'noc' ? 600 : 0);
      return {
        role,
        host,
        method: 'icmp' as const,
        sent: Math.max(3, echoes),
        received: echoes,
        lossPct: echoes >= 3 ? 0 : 33.3,
        rttMinMs,
        rttAvgMs: meanOf(random, echoes, digits),
        rttMaxMs: Math.round((rttMinMs + random() * 5) * 10 ** digits) / 10 ** digits,
        jitterMs: meanOf(random, 2, digits),
        error: null,
      };
    };
    return base(200 + i, {
      probes: {
        latency: {
          targets: [
            target('gateway', '192.168.1.1', 3, 3),
            target('terminal', '192.168.100.1', i % 4 === 0 ? 2 : 3, 2),
            target('internet', '1.1.1.1', 3, 1),
            target('noc', 'noc.example', 6, 0),
          ],
          error: null,
        },
      },
    });
  });
  return {
    name: 'latency-means',
    description:
      'Means of echoes printed with 0 to 3 decimals (divisors 2, 3 and 6 with scale drops 1 to 3), a maximum against its minimum (a reference).',
    kind: 'schema',
    agentVersion: '0.1.0',
    sentAtMs: T0 + 10 * 60_000 + 3,
    samples,
  };
}

function references(): VectorBatch {
  const random = seeded(14);
  const samples = Array.from({ length: 8 }, (_, i) => {
    const anchor = Math.round(random() * 1e9);
    const columns: Record<string, number> = { a00: anchor };
    for (let c = 1; c <= 15; c++) columns[`a${String(c).padStart(2, '0')}`] = Math.round(random() * 1e12);
    columns.a16 = anchor + Math.round(random() * 3);
    return { seq: i, bootId: 'b', wallMs: 5_000 + i, clockSynced: false, uptimeMs: 1, refs: columns };
  });
  return {
    name: 'format-reference-16',
    description: 'A column coded against the number column 16 columns back, the farthest a reference reaches.',
    kind: 'format',
    agentVersion: 'format',
    sentAtMs: 5_000,
    samples,
  };
}

function nullsAndPresence(): VectorBatch {
  const random = seeded(15);
  const samples = Array.from({ length: 9 }, (_, i) => {
    const probes: NonNullable<SampleInput['probes']> = {
      power: {
        source: 'vedirect',
        batteryVolts: i % 3 === 1 ? null : Math.round((12 + random()) * 100) / 100,
        underVoltageNow: i % 4 === 2 ? null : random() < 0.5,
        chargeState: i % 2 === 0 ? 'bulk' : null,
        error: i % 3 === 1 ? 'vedirect_silent' : null,
      },
    };
    if (i % 3 !== 0) probes.clients = { source: 'dhcp', clientsInterval: Math.round(random() * 20), error: null };
    if (i === 4) {
      probes.throughput = {
        endpointHost: 'speed.noc.example',
        downBytes: 2_000_000,
        downMs: 911,
        downBitsPerSec: 17_563_117,
        error: null,
      };
    }
    if (i % 2 === 1) probes.uptime = { linkUp: i !== 5, systemUptimeMs: 86_400_000 + i * 60_000, error: null };
    return base(300 + i, { clockSynced: i !== 3, probes });
  });
  return {
    name: 'nulls-and-presence',
    description:
      'Columns some samples lack (presence bits) of every kind, and number and boolean columns with nulls (null bits).',
    kind: 'schema',
    agentVersion: '0.1.0',
    sentAtMs: T0 + 9 * 60_000 + 40,
    samples,
  };
}

function tagged(): VectorBatch {
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
      'Tagged columns: strings that change, with nulls, and numbers no decimal scale holds exactly (1/3, 0.1 + 0.2, 2^60).',
    kind: 'schema',
    agentVersion: '0.1.0',
    sentAtMs: T0 + 4 * 60_000,
    samples,
  };
}

function formatMixed(): VectorBatch {
  const column = [true, -7, 'x', null, 2.5, [], {}, false, 3];
  return {
    name: 'format-mixed',
    description: 'A tagged column holding every tag, a partial tagged column and a lone boolean column.',
    kind: 'format',
    agentVersion: 'format',
    sentAtMs: 100,
    samples: column.map((value, i) => ({
      seq: i,
      bootId: 'b',
      wallMs: 100 + i,
      clockSynced: i % 2 === 0,
      uptimeMs: 1,
      mixed: value,
      ...(i % 3 === 0 ? { sometimes: i === 3 ? 'three' : i } : {}),
    })),
  };
}

function manyTargets(): VectorBatch {
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

function wide(): VectorBatch {
  const values = [2 ** 53 - 1, 0, 2 ** 52 + 3, 17];
  return {
    name: 'wide-values',
    description:
      'Integers up to 2^53 - 1 (fields wider than 24 bits), a sentAtMs long before the first sample, a wall clock of 1970.',
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

function agentDay(): VectorBatch {
  const { samples, sentAtMs } = daySamples(355, 15);
  return {
    name: 'agent-15-minutes',
    description:
      'Fifteen minutes of the seeded day bench:wire simulates (every probe, a throughput test): a typical metered-profile batch.',
    kind: 'schema',
    agentVersion: '0.1.0',
    sentAtMs,
    samples,
  };
}

function randomShapes(): VectorBatch[] {
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

export function vectorBatches(): VectorBatch[] {
  return [
    minimal(),
    constants(),
    formatConstants(),
    numbers(),
    scales(),
    latency(),
    references(),
    nullsAndPresence(),
    tagged(),
    formatMixed(),
    manyTargets(),
    wide(),
    agentDay(),
    ...randomShapes(),
  ];
}
