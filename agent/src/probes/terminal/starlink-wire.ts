import { writeMessageField } from './protobuf.js';

/**
 * Field numbers of the Starlink dish's gRPC messages (package SpaceX.API.Device). SpaceX publishes
 * no proto file; these come from the dish's own server reflection, as dumped by others:
 * - clarkzjw/starlink-grpc-golang, proto/spacex_api/device/{device,dish,common}.proto, generated
 *   from protosets of firmware 2025.01 to 2026.06 (the field numbers below agree across them);
 * - yycorcino/starlink-remote-grpc, injestors/proto/spacex/api/device/dish.proto (an earlier dump);
 * - sparky8512/starlink-grpc-tools, starlink_grpc.py: how the state is read from `outage` since the
 *   dish stopped filling `state` (reserved 1006 now), and which flags say an update is pending
 *   (dish_check_update.py).
 * The dish speaks proto3: a field at its zero value (0, false, "") is not on the wire at all.
 */
export const STARLINK_HANDLE_PATH = '/SpaceX.API.Device.Device/Handle';

export const REQUEST = { getStatus: 1004, getHistory: 1007 } as const;

export const RESPONSE = {
  dishGetStatus: 2004,
  dishGetHistory: 2006,
  /** What a Starlink Wi-Fi router answers instead (Response.wifi_get_status, wifi_get_history). */
  wifiGetStatus: 3004,
  wifiGetHistory: 3006,
} as const;

/** DishGetStatusResponse. */
export const STATUS = {
  deviceInfo: 1,
  deviceState: 2,
  popPingDropRate: 1003,
  obstructionStats: 1004,
  alerts: 1005,
  /** `DishState state`, filled by firmware before late 2021 and reserved since. */
  legacyState: 1006,
  popPingLatencyMs: 1009,
  outage: 1014,
  ethSpeedMbps: 1016,
  isSnrAboveNoiseFloor: 1018,
  softwareUpdateState: 1021,
  softwareUpdateStats: 1026,
  swupdateRebootReady: 1030,
} as const;

export const DEVICE_INFO = { softwareVersion: 3, bootcount: 8 } as const;
export const DEVICE_STATE = { uptimeS: 1 } as const;
export const OBSTRUCTION = { fractionObstructed: 1, validS: 4, currentlyObstructed: 5 } as const;
export const SOFTWARE_UPDATE_STATS = { softwareUpdateState: 1 } as const;
export const OUTAGE = { cause: 1, startTimestampNs: 2, durationNs: 3 } as const;

/** DishGetHistoryResponse: `current` counts the seconds recorded since boot; the rest are ring buffers. */
export const HISTORY = {
  current: 1,
  popPingDropRate: 1001,
  popPingLatencyMs: 1002,
  downlinkThroughputBps: 1003,
  uplinkThroughputBps: 1004,
  outages: 1009,
} as const;

/** SoftwareUpdateState.REBOOT_REQUIRED: an update is written and waits for a reboot. */
export const SOFTWARE_UPDATE_REBOOT_REQUIRED = 6;

/** DishOutage.Cause by number. NO_SCHEDULE is shown as `searching`, the name firmware used before. */
export const OUTAGE_CAUSES: Readonly<Record<number, string>> = {
  0: 'unknown',
  1: 'booting',
  2: 'stowed',
  3: 'thermal_shutdown',
  4: 'searching',
  5: 'no_sats',
  6: 'obstructed',
  7: 'no_downlink',
  8: 'no_pings',
  9: 'actuator_activity',
  10: 'cable_test',
  11: 'sleeping',
  12: 'moving_while_not_allowed',
  13: 'sky_search',
  14: 'inhibit_rf',
};

/** The retired DishState enum (field 1006 of old firmware). */
export const LEGACY_STATES: Readonly<Record<number, string>> = {
  0: 'unknown',
  1: 'connected',
  2: 'searching',
  3: 'booting',
};

/** DishAlerts: one bool per alert, named here by field number (retired numbers keep their names). */
export const ALERT_NAMES: Readonly<Record<number, string>> = {
  1: 'motors_stuck',
  2: 'thermal_shutdown',
  3: 'thermal_throttle',
  4: 'unexpected_location',
  5: 'mast_not_near_vertical',
  6: 'slow_ethernet_speeds',
  7: 'roaming',
  8: 'install_pending',
  9: 'is_heating',
  10: 'power_supply_thermal_throttle',
  11: 'is_power_save_idle',
  12: 'moving_while_not_mobile',
  13: 'moving_fast_while_not_aviation',
  14: 'dbf_telem_stale',
  15: 'moving_too_fast_for_policy',
  16: 'low_motor_current',
  17: 'lower_signal_than_predicted',
  18: 'slow_ethernet_speeds_100',
  19: 'obstruction_map_reset',
  20: 'dish_water_detected',
  21: 'router_water_detected',
  22: 'upsu_router_port_slow',
  23: 'no_ethernet_link',
};
export const INSTALL_PENDING_ALERT = 8;

/**
 * Outage start times count nanoseconds on GPS time from 1980-01-06 (sparky8512/starlink-grpc-tools
 * issue 51: read as Unix time they land ten years early). GPS time runs ahead of UTC by the leap
 * seconds since 1980: 18 since 2017-01-01, and none are planned.
 */
export const GPS_EPOCH_UNIX_MS = 315_964_800_000;
export const GPS_LEAP_MS = 18_000;

/** A name for an enum value: the known name, else the number as it came. */
export function enumName(names: Readonly<Record<number, string>>, value: bigint): string {
  return names[Number(value)] ?? value.toString();
}

export function starlinkRequest(method: number): Buffer {
  return writeMessageField(method, new Uint8Array(0));
}
