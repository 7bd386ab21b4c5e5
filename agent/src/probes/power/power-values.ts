import type { PowerSection } from '@pantau/shared';
import type { CommandErrorCode } from '../../host/command-runner.js';

/** The figures a driver reads; the probe adds the source, the Pi's supply flags and the error. */
export type PowerValues = Pick<
  PowerSection,
  | 'batteryVolts'
  | 'batteryAmps'
  | 'batteryTempCelsius'
  | 'panelVolts'
  | 'solarWatts'
  | 'chargeState'
  | 'batteryMaxVoltsToday'
  | 'batteryMinVoltsToday'
  | 'lowVoltageDisconnectVolts'
  | 'chargerError'
>;

export function emptyPowerValues(): PowerValues {
  return {
    batteryVolts: null,
    batteryAmps: null,
    batteryTempCelsius: null,
    panelVolts: null,
    solarWatts: null,
    chargeState: null,
    batteryMaxVoltsToday: null,
    batteryMinVoltsToday: null,
    lowVoltageDisconnectVolts: null,
    chargerError: null,
  };
}

/** Stable codes a power driver may report (docs/errors.md). */
export type PowerErrorCode =
  | 'sysfs_unreadable'
  | 'serial_unavailable'
  | 'vedirect_silent'
  | 'vedirect_bad_checksum'
  | 'modbus_timeout'
  | 'modbus_exception'
  | 'modbus_crc'
  | CommandErrorCode
  | 'probe_timeout';

/**
 * What one read gave. A failed read may still carry the figures read before the failure (EPever reads
 * several register blocks); a figure not read is null.
 */
export type PowerReadOutcome =
  | { readonly values: Partial<PowerValues>; readonly error: null }
  | { readonly values: Partial<PowerValues>; readonly error: PowerErrorCode; readonly message: string };

/** One way of reading the site's battery and panel. */
export interface PowerDriver {
  read(signal: AbortSignal): Promise<PowerReadOutcome>;
  /** Releases what the driver keeps open between cycles (a serial port). Safe to call twice. */
  stop(): Promise<void>;
}

export function readFailed(
  error: PowerErrorCode,
  message: string,
  values: Partial<PowerValues> = {},
): PowerReadOutcome {
  return { values, error, message };
}

/** Rounds a converted figure so that float noise (12.34 / 100) does not reach the wire. */
export function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
