import {
  writeFloatField,
  writeMessageField,
  writePackedFloats,
  writeVarint,
  writeVarintField,
} from '../../agent/src/probes/terminal/protobuf.js';

/**
 * A dish's Response to get_status as the dish encodes it: an id, then dish_get_status (2004) with
 * device_info (1) and other fields around device_state (2) { uptime_s (1) }.
 */
export function dishStatusResponse(uptimeS: number | bigint): Buffer {
  const deviceInfo = Buffer.concat([
    writeMessageField(1, Buffer.from('ut01000000-00000000-00000000')),
    writeMessageField(3, Buffer.from('2024.01.01.mr1')),
  ]);
  const deviceState = writeVarintField(1, uptimeS);
  // snr (field 1001) is a float: wire type 5, four bytes.
  const snr = Buffer.concat([writeVarint((1001n << 3n) | 5n), Buffer.from([0x00, 0x00, 0x10, 0x41])]);
  const dishStatus = Buffer.concat([writeMessageField(1, deviceInfo), writeMessageField(2, deviceState), snr]);
  return Buffer.concat([writeVarintField(1, 42), writeMessageField(2004, dishStatus)]);
}

/** GPS time of a Unix epoch ms, in ns (as DishOutage.start_timestamp_ns counts it). */
export function gpsNs(unixMs: number): bigint {
  return (BigInt(unixMs) - 315_964_800_000n + 18_000n) * 1_000_000n;
}

export interface OutageShape {
  readonly cause: number;
  readonly startUnixMs: number;
  readonly durationMs: number;
}

export function outageMessage(o: OutageShape): Buffer {
  return Buffer.concat([
    o.cause === 0 ? Buffer.alloc(0) : writeVarintField(1, o.cause),
    writeVarintField(2, gpsNs(o.startUnixMs)),
    writeVarintField(3, BigInt(o.durationMs) * 1_000_000n),
    writeVarintField(4, 1),
  ]);
}

/** The fields of a get_status answer, in the shape firmware 2025-2026 sends (proto3: zeros left out). */
export interface StatusShape {
  readonly uptimeS?: number;
  readonly bootCount?: number;
  readonly softwareVersion?: string;
  readonly latencyMs?: number;
  readonly dropRate?: number;
  readonly obstruction?: { readonly fraction: number; readonly validS: number; readonly current: boolean } | null;
  readonly snrAboveNoiseFloor?: boolean;
  /** Alert field numbers that are on (DishAlerts); null leaves the message out. */
  readonly alerts?: readonly number[] | null;
  readonly outage?: OutageShape;
  readonly ethSpeedMbps?: number;
  readonly softwareUpdateState?: number;
  /** Fields this version does not know, e.g. a newer firmware's. */
  readonly extra?: Buffer;
}

/** A dish that is connected, unobstructed, on 1 Gbit/s Ethernet, with no alert. */
export const HEALTHY: StatusShape = {
  uptimeS: 86_400,
  bootCount: 174,
  softwareVersion: '2026.05.26.mr80668',
  latencyMs: 31.5,
  dropRate: 0,
  obstruction: { fraction: 0.0125, validS: 7797, current: false },
  snrAboveNoiseFloor: true,
  alerts: [],
  ethSpeedMbps: 1000,
  softwareUpdateState: 1,
};

export function statusResponse(s: StatusShape): Buffer {
  const info = Buffer.concat([
    writeMessageField(1, Buffer.from('ut01000000-00000000-005a1b2c')),
    writeMessageField(2, Buffer.from('rev4_prod1')),
    s.softwareVersion === undefined ? Buffer.alloc(0) : writeMessageField(3, Buffer.from(s.softwareVersion)),
    s.bootCount === undefined ? Buffer.alloc(0) : writeVarintField(8, s.bootCount),
  ]);
  const parts: Buffer[] = [writeMessageField(1, info)];
  if (s.uptimeS !== undefined) parts.push(writeMessageField(2, writeVarintField(1, s.uptimeS)));
  if (s.dropRate !== undefined && s.dropRate !== 0) parts.push(writeFloatField(1003, s.dropRate));
  if (s.obstruction !== undefined && s.obstruction !== null) {
    const o = s.obstruction;
    parts.push(
      writeMessageField(
        1004,
        Buffer.concat([
          o.fraction === 0 ? Buffer.alloc(0) : writeFloatField(1, o.fraction),
          writeFloatField(4, o.validS),
          o.current ? writeVarintField(5, 1) : Buffer.alloc(0),
          writeVarintField(10, 2892),
        ]),
      ),
    );
  }
  if (s.alerts !== undefined && s.alerts !== null) {
    parts.push(writeMessageField(1005, Buffer.concat(s.alerts.map((n) => writeVarintField(n, 1)))));
  }
  if (s.latencyMs !== undefined) parts.push(writeFloatField(1009, s.latencyMs));
  if (s.outage !== undefined) parts.push(writeMessageField(1014, outageMessage(s.outage)));
  if (s.ethSpeedMbps !== undefined) parts.push(writeVarintField(1016, s.ethSpeedMbps));
  if (s.snrAboveNoiseFloor === true) parts.push(writeVarintField(1018, 1));
  if (s.softwareUpdateState !== undefined) parts.push(writeVarintField(1021, s.softwareUpdateState));
  if (s.extra !== undefined) parts.push(s.extra);
  return Buffer.concat([
    writeVarintField(1, 7),
    writeVarintField(3, 31),
    writeMessageField(2004, Buffer.concat(parts)),
  ]);
}

/**
 * The dish's history ring buffers as it would hold them at `counter`: second k (0-based since
 * boot) has the values `perSecond(k)` at index k mod length; slots not yet written are zero.
 */
export interface HistoryShape {
  readonly counter: number;
  readonly length: number;
  readonly perSecond: (k: number) => { down: number; up: number; drop: number; latency: number };
  readonly outages?: readonly OutageShape[];
  /** Leave these buffers out (a firmware without them). */
  readonly without?: readonly ('down' | 'up' | 'latency')[];
}

export function historyResponse(h: HistoryShape): Buffer {
  const down = new Array<number>(h.length).fill(0);
  const up = new Array<number>(h.length).fill(0);
  const drop = new Array<number>(h.length).fill(0);
  const latency = new Array<number>(h.length).fill(0);
  for (let k = Math.max(0, h.counter - h.length); k < h.counter; k++) {
    const v = h.perSecond(k);
    const i = k % h.length;
    down[i] = v.down;
    up[i] = v.up;
    drop[i] = v.drop;
    latency[i] = v.latency;
  }
  const without = new Set(h.without ?? []);
  const parts = [
    writeVarintField(1, h.counter),
    writePackedFloats(1001, drop),
    without.has('latency') ? Buffer.alloc(0) : writePackedFloats(1002, latency),
    without.has('down') ? Buffer.alloc(0) : writePackedFloats(1003, down),
    without.has('up') ? Buffer.alloc(0) : writePackedFloats(1004, up),
    ...(h.outages ?? []).map((o) => writeMessageField(1009, outageMessage(o))),
  ];
  return Buffer.concat([writeVarintField(1, 8), writeMessageField(2006, Buffer.concat(parts))]);
}
