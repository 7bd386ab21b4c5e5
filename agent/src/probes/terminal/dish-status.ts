import { fail, ok, type Result } from '@pantau/shared';
import { floatField, messageField, type ProtoField, readFields, stringField, varintField } from './protobuf.js';
import {
  ALERT_NAMES,
  DEVICE_INFO,
  DEVICE_STATE,
  enumName,
  GPS_EPOCH_UNIX_MS,
  GPS_LEAP_MS,
  INSTALL_PENDING_ALERT,
  LEGACY_STATES,
  OBSTRUCTION,
  OUTAGE,
  OUTAGE_CAUSES,
  RESPONSE,
  SOFTWARE_UPDATE_REBOOT_REQUIRED,
  SOFTWARE_UPDATE_STATS,
  STATUS,
} from './starlink-wire.js';

/** Why a terminal answer could not be used; the transport's codes come from grpc-unary.ts. */
export type DishAnswerErrorCode = 'terminal_bad_response' | 'terminal_is_router';

export interface DishOutage {
  readonly cause: string;
  /** Epoch ms from the dish's GPS clock; null when the dish gave no start. */
  readonly startMs: number | null;
  readonly durationMs: number;
}

export interface DishObstruction {
  readonly obstructed: boolean;
  readonly obstructedPct: number;
  readonly validSec: number;
}

/** What the agent reads of a get_status answer; null is "the dish did not say". */
export interface DishStatus {
  readonly uptimeMs: number | null;
  readonly bootCount: number | null;
  readonly softwareVersion: string | null;
  readonly state: string;
  readonly outage: DishOutage | null;
  readonly popPingLatencyMs: number | null;
  readonly popPingDropPct: number | null;
  readonly obstruction: DishObstruction | null;
  readonly snrAboveNoiseFloor: boolean;
  readonly alerts: readonly string[] | null;
  readonly ethSpeedMbps: number | null;
  readonly updatePending: boolean | null;
}

/** A dish keeps a few dozen alerts; an answer that claims more is not read further. */
const MAX_ALERTS = 64;
const MAX_SAFE_SECONDS = BigInt(Math.floor(Number.MAX_SAFE_INTEGER / 1000));

class BadAnswer extends Error {}

/** Reads one value or throws BadAnswer (caught once, in parseDishStatus). */
function must<T>(result: Result<T, string>, where: string): T {
  if (!result.ok) throw new BadAnswer(`${where}: ${result.message}`);
  return result.value;
}

function sub(fields: readonly ProtoField[], field: number, name: string): ProtoField[] | null {
  const bytes = must(messageField(fields, field), name);
  return bytes === null ? null : must(readFields(bytes), name);
}

/**
 * The Response message of `get_history` or `get_status`: the dish's own part of it, or which
 * failure it is (a Starlink router answers with its wifi_* messages instead).
 */
export function dishPart(response: Uint8Array, field: number, name: string): Result<ProtoField[], DishAnswerErrorCode> {
  const top = readFields(response);
  if (!top.ok) return fail('terminal_bad_response', `the answer is not protobuf: ${top.message}`);
  const part = messageField(top.value, field);
  if (!part.ok) return fail('terminal_bad_response', part.message);
  if (part.value === null) {
    const router = top.value.some((f) => f.field === RESPONSE.wifiGetStatus || f.field === RESPONSE.wifiGetHistory);
    return router
      ? fail('terminal_is_router', 'a Starlink router answered, not the dish')
      : fail('terminal_bad_response', `the answer has no ${name} (not a dish?)`);
  }
  const fields = readFields(part.value);
  return fields.ok ? ok(fields.value) : fail('terminal_bad_response', `${name} is not protobuf: ${fields.message}`);
}

export function parseDishStatus(response: Uint8Array): Result<DishStatus, DishAnswerErrorCode> {
  const part = dishPart(response, RESPONSE.dishGetStatus, 'dish_get_status');
  if (!part.ok) return part;
  try {
    return ok(readStatus(part.value));
  } catch (error) {
    if (error instanceof BadAnswer) return fail('terminal_bad_response', error.message);
    throw error;
  }
}

function readStatus(fields: readonly ProtoField[]): DishStatus {
  const info = sub(fields, STATUS.deviceInfo, 'device_info');
  const deviceState = sub(fields, STATUS.deviceState, 'device_state');
  const outage = readOutageField(fields);
  const latency = must(floatField(fields, STATUS.popPingLatencyMs), 'pop_ping_latency_ms');
  const dropRate = must(floatField(fields, STATUS.popPingDropRate), 'pop_ping_drop_rate');
  const alerts = readAlerts(sub(fields, STATUS.alerts, 'alerts'));
  const legacyState = must(varintField(fields, STATUS.legacyState), 'state');
  const ethSpeed = must(varintField(fields, STATUS.ethSpeedMbps), 'eth_speed_mbps');
  const bootCount = info === null ? null : must(varintField(info, DEVICE_INFO.bootcount), 'bootcount');
  const version = info === null ? null : must(stringField(info, DEVICE_INFO.softwareVersion), 'software_version');
  return {
    uptimeMs: deviceState === null ? null : uptimeMs(deviceState),
    // proto3 leaves zeros out: an absent count, version or speed is "not told", as none is ever 0.
    bootCount: bootCount === null || bootCount === 0n ? null : int32(bootCount),
    softwareVersion: version === '' ? null : version,
    state: legacyState !== null ? enumName(LEGACY_STATES, legacyState) : outage === null ? 'connected' : outage.cause,
    outage,
    popPingLatencyMs: latency === null || !Number.isFinite(latency) || latency <= 0 ? null : latency,
    // The drop rate is measured with the latency: with no latency there is no measurement to be 0.
    popPingDropPct: latency === null ? (dropRate === null ? null : pct(dropRate)) : pct(dropRate ?? 0),
    obstruction: readObstruction(sub(fields, STATUS.obstructionStats, 'obstruction_stats')),
    snrAboveNoiseFloor: isTrue(must(varintField(fields, STATUS.isSnrAboveNoiseFloor), 'is_snr_above_noise_floor')),
    alerts,
    ethSpeedMbps: ethSpeed === null || ethSpeed === 0n ? null : Math.max(0, int32(ethSpeed)),
    updatePending: updatePending(fields, alerts),
  };
}

function uptimeMs(deviceState: readonly ProtoField[]): number {
  // A present device_state without uptime_s is 0 s (proto3).
  const seconds = must(varintField(deviceState, DEVICE_STATE.uptimeS), 'uptime_s') ?? 0n;
  if (seconds > MAX_SAFE_SECONDS) throw new BadAnswer(`uptime_s ${seconds} is absurd`);
  return Number(seconds) * 1000;
}

/** A protobuf bool: any non-zero varint is true; absent is false (proto3). */
function isTrue(value: bigint | null): boolean {
  return value !== null && value !== 0n;
}

function int32(value: bigint): number {
  return Number(BigInt.asIntN(32, value));
}

/** A rate in [0, 1] as a percentage; NaN or a value out of range is not a measurement. */
function pct(rate: number | null): number | null {
  if (rate === null || !Number.isFinite(rate) || rate < 0 || rate > 1) return null;
  return Math.round(rate * 100_000) / 1000;
}

function readObstruction(stats: readonly ProtoField[] | null): DishObstruction | null {
  if (stats === null) return null;
  const valid = must(floatField(stats, OBSTRUCTION.validS), 'valid_s') ?? 0;
  return {
    obstructed: isTrue(must(varintField(stats, OBSTRUCTION.currentlyObstructed), 'currently_obstructed')),
    obstructedPct: pct(must(floatField(stats, OBSTRUCTION.fractionObstructed), 'fraction_obstructed') ?? 0) ?? 0,
    validSec: Number.isFinite(valid) && valid > 0 ? Math.round(valid) : 0,
  };
}

/** The alerts that are on, by name; an alert this version does not know is `alert_<field number>`. */
function readAlerts(alerts: readonly ProtoField[] | null): string[] | null {
  if (alerts === null) return null;
  // The last occurrence of a field is its value (protobuf), so an alert turned off later is off.
  const last = new Map<number, bigint>();
  for (const f of alerts) if (f.wireType === 0) last.set(f.field, f.varint);
  const on: string[] = [];
  for (const [field, value] of last) {
    if (value === 0n) continue;
    on.push(ALERT_NAMES[field] ?? `alert_${field}`);
    if (on.length >= MAX_ALERTS) break;
  }
  return on.sort();
}

/**
 * Whether an update waits for a reboot: any of the install_pending alert, software_update_state
 * or software_update_stats.software_update_state at REBOOT_REQUIRED; swupdate_reboot_ready only
 * where none of those is there (as starlink-grpc-tools' dish_check_update.py reads them).
 */
function updatePending(fields: readonly ProtoField[], alerts: readonly string[] | null): boolean | null {
  const state = must(varintField(fields, STATUS.softwareUpdateState), 'software_update_state');
  const stats = sub(fields, STATUS.softwareUpdateStats, 'software_update_stats');
  const statsState =
    stats === null ? null : must(varintField(stats, SOFTWARE_UPDATE_STATS.softwareUpdateState), 'state');
  if (alerts !== null || state !== null || stats !== null) {
    const required = BigInt(SOFTWARE_UPDATE_REBOOT_REQUIRED);
    return (
      (alerts?.includes(ALERT_NAMES[INSTALL_PENDING_ALERT] ?? '') ?? false) ||
      state === required ||
      statsState === required
    );
  }
  const ready = must(varintField(fields, STATUS.swupdateRebootReady), 'swupdate_reboot_ready');
  return ready === null ? null : isTrue(ready);
}

function readOutageField(fields: readonly ProtoField[]): DishOutage | null {
  const outage = sub(fields, STATUS.outage, 'outage');
  return outage === null ? null : readOutage(outage);
}

/** One DishOutage message. */
export function readOutage(outage: readonly ProtoField[]): DishOutage {
  const cause = must(varintField(outage, OUTAGE.cause), 'outage.cause') ?? 0n;
  const startNs = must(varintField(outage, OUTAGE.startTimestampNs), 'outage.start_timestamp_ns');
  const durationNs = must(varintField(outage, OUTAGE.durationNs), 'outage.duration_ns') ?? 0n;
  const start = startNs === null ? null : BigInt.asIntN(64, startNs);
  return {
    cause: enumName(OUTAGE_CAUSES, cause),
    startMs: start === null || start <= 0n ? null : Number(start / 1_000_000n) + GPS_EPOCH_UNIX_MS - GPS_LEAP_MS,
    durationMs: Number((durationNs > 10n ** 18n ? 10n ** 18n : durationNs) / 1_000_000n),
  };
}

/** For code outside this module that reads a nested DishOutage and needs the same failure value. */
export function tryReadOutage(outage: readonly ProtoField[]): Result<DishOutage, 'terminal_bad_response'> {
  try {
    return ok(readOutage(outage));
  } catch (error) {
    if (error instanceof BadAnswer) return fail('terminal_bad_response', error.message);
    throw error;
  }
}
