/** Schema-valid vector batches, as an agent sends them: constants, numbers, means, nulls and presence. */
import type { SampleInput } from '@pantau/shared';
import { seeded } from '../seeded.js';
import { base, meanOf, T0 } from './batch-helpers.js';
import type { VectorBatch } from './vector-batches.js';

export function minimal(): VectorBatch {
  return {
    name: 'minimal',
    description: 'One sample with only the required fields: lone numbers are number columns, the rest constants.',
    kind: 'schema',
    agentVersion: '0.1.0',
    sentAtMs: T0 + 1500,
    samples: [base(0)],
  };
}

export function constants(): VectorBatch {
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
      'Constant columns of every tag a schema-valid batch has: null, false, true, int, negative int, float, ' +
      'string and empty array.',
    kind: 'schema',
    agentVersion: '0.1.0',
    sentAtMs: T0 + 4 * 60_000 + 12,
    samples: [0, 1, 2, 3].map(sample),
  };
}

export function numbers(): VectorBatch {
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
      'Number columns packed plain and as differences, at several scales, one of them against an earlier ' +
      'column (uptime against wall time).',
    kind: 'schema',
    agentVersion: '0.1.0',
    sentAtMs: T0 + 12 * 60_000,
    samples,
  };
}

export function latency(): VectorBatch {
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
      'Means of echoes printed with 0 to 3 decimals (divisors 2, 3 and 6 with scale drops 1 to 3), a maximum ' +
      'against its minimum (a reference).',
    kind: 'schema',
    agentVersion: '0.1.0',
    sentAtMs: T0 + 10 * 60_000 + 3,
    samples,
  };
}

export function nullsAndPresence(): VectorBatch {
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
