import {
  decodePayload,
  encodePayload,
  MAX_COLUMNAR_CELLS,
  MAX_COLUMNAR_COLUMNS,
  type SampleInput,
  telemetryBatchSchema,
} from '@pantau/shared';
import { describe, expect, it } from 'vitest';

/**
 * The columnar limits leave room for every batch the schemas accept: a sample with every field
 * fits the column limit, and a batch past the cells limit goes out as Brotli instead, so no valid
 * batch is ever sent in a form a decoder must refuse.
 */
const target = (i: number) => ({
  role: 'internet' as const,
  host: `10.0.${Math.floor(i / 250)}.${i % 250}`,
  method: 'icmp' as const,
  sent: 3,
  received: 3,
  lossPct: 0,
  rttMinMs: 1 + i,
  rttAvgMs: 2 + i,
  rttMaxMs: 3 + i,
  jitterMs: 0.5,
  error: null,
});

/** A sample with every probe, every field and the most latency targets the schema allows. */
function fullest(seq: number): SampleInput {
  return {
    seq,
    bootId: 'b',
    wallMs: 1_795_392_000_000 + seq * 60_000,
    clockSynced: true,
    uptimeMs: seq * 60_000 + (seq % 7),
    probes: {
      latency: { targets: Array.from({ length: 32 }, (_, i) => target(i + (seq % 3))), error: null },
      uptime: { systemUptimeMs: seq, agentUptimeMs: seq, linkUp: true, terminalUptimeMs: 1, routerUptimeMs: 2 },
      usage: { source: 'interface', interface: 'eth1', rxBytes: seq * 1000, txBytes: seq, budgetCapBytes: 5 },
      clients: { source: 'dhcp', clientsInterval: seq % 9, clientsHour: 3 },
      power: { source: 'vedirect', batteryVolts: 12.5 + (seq % 5) / 10, chargeState: 'bulk', throttledFlags: 0 },
      throughput: { endpointHost: 'speed.example', downBytes: 1, downMs: 2, upBytes: 3, upMs: 4 },
    },
  };
}

function leaves(value: unknown): number {
  if (value === null || typeof value !== 'object') return 1;
  const children = Object.values(value);
  return children.length === 0 ? 1 : children.reduce((n: number, v) => n + leaves(v), 0);
}

const batch = (samples: SampleInput[]) => ({ v: 1 as const, siteId: 's1', agentVersion: 'x', sentAtMs: 1, samples });

describe('columnar limits', () => {
  it('leave room for the fullest sample the schema accepts', () => {
    const sample = telemetryBatchSchema.parse(batch([fullest(1)])).samples[0];
    expect(leaves(sample)).toBeLessThanOrEqual(MAX_COLUMNAR_COLUMNS);
    const payload = encodePayload('telemetry', batch([fullest(1), fullest(2)]), 'columnar');
    expect(payload[0]).toBe(0x04);
    expect(decodePayload('telemetry', payload, undefined, { siteId: 's1' }).ok).toBe(true);
  });

  it('send a valid batch past them as Brotli, which decodes to the same batch', () => {
    const samples = Array.from({ length: 700 }, (_, i) => fullest(i));
    const cells = leaves(telemetryBatchSchema.parse(batch(samples)).samples);
    expect(cells).toBeGreaterThan(MAX_COLUMNAR_CELLS);
    const payload = encodePayload('telemetry', batch(samples), 'columnar');
    expect(payload[0]).toBe(0x02);
    const decoded = decodePayload('telemetry', payload, payload.byteLength);
    expect(decoded.ok && decoded.value).toEqual(telemetryBatchSchema.parse(batch(samples)));
  }, 60_000);
});
