import { encodePayload, type PayloadEncoding, type SampleInput } from '@pantau/shared';

/** A realistic one-minute sample: two latency targets, uptime, usage, clients, power (~900 bytes of JSON). */
export function realisticSample(seq: number, wallMs: number): SampleInput {
  return {
    seq,
    bootId: '3f1c2a9e-8d7b-4c6a-9e5f-1a2b3c4d5e6f',
    wallMs,
    clockSynced: true,
    uptimeMs: 86_400_000 + seq * 60_000,
    probes: {
      latency: {
        targets: [
          {
            role: 'gateway',
            host: '192.168.1.1',
            sent: 3,
            received: 3,
            lossPct: 0,
            rttMinMs: 0.4,
            rttAvgMs: 0.5,
            rttMaxMs: 0.7,
            jitterMs: 0.1,
          },
          {
            role: 'internet',
            host: '1.1.1.1',
            sent: 3,
            received: 3,
            lossPct: 0,
            rttMinMs: 38,
            rttAvgMs: 45.9,
            rttMaxMs: 53,
            jitterMs: 5,
          },
        ],
        error: null,
      },
      uptime: {
        systemUptimeMs: 86_400_000 + seq * 60_000,
        agentUptimeMs: 86_300_000,
        linkUp: true,
        linkUptimeMs: 7_200_000,
      },
      usage: {
        source: 'interface',
        interface: 'eth1',
        intervalMs: 60_000,
        rxBytes: 48_211_733,
        txBytes: 5_120_877,
        agentRxBytes: 412,
        agentTxBytes: 1630,
      },
      clients: { source: 'dhcp', clientsInterval: 7, clientsHour: 19 },
      power: {
        source: 'vedirect',
        batteryVolts: 12.71,
        batteryAmps: 3.2,
        panelVolts: 18.9,
        solarWatts: 61,
        chargeState: 'bulk',
      },
    },
  };
}

const ENCODINGS: readonly PayloadEncoding[] = ['columnar', 'json', 'deflate', 'brotli'];

/** A bench's `--encoding` option, checked. */
export function encodingOption(name: string): PayloadEncoding {
  const encoding = ENCODINGS.find((e) => e === name);
  if (encoding === undefined) throw new Error(`--encoding must be one of ${ENCODINGS.join(', ')}, not ${name}`);
  return encoding;
}

export interface EncodedMessage {
  readonly topic: string;
  readonly payload: Buffer;
}

/**
 * Message `i` of a run: site `i % sites`, its `round = floor(i / sites)`-th batch, carrying
 * `perBatch` consecutive sequence numbers. Times are a minute apart, ending near `nowMs`. Encoded
 * as agents send it by default (`columnar`, agent/src/config/schema.ts) unless told otherwise.
 */
export function encodeMessage(
  root: string,
  i: number,
  sites: number,
  perBatch: number,
  nowMs: number,
  encoding: PayloadEncoding = 'columnar',
): EncodedMessage {
  const siteId = `site-${String(i % sites).padStart(6, '0')}`;
  const round = Math.floor(i / sites);
  const samples = Array.from({ length: perBatch }, (_, k) => {
    const seq = round * perBatch + k;
    return realisticSample(seq, nowMs - 3_600_000 + seq * 60_000);
  });
  return {
    topic: `${root}/site/${siteId}/telemetry`,
    payload: encodePayload('telemetry', { v: 1, siteId, agentVersion: 'bench', sentAtMs: nowMs, samples }, encoding),
  };
}
