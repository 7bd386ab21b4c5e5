import { fail, ok, type Result } from '@pantau/shared';
import type { FileReader } from '../../host/file-reader.js';

/** Where the host's figures are read; a test points them into a fake tree. */
export interface HostHealthPaths {
  readonly meminfo: string;
  readonly loadavg: string;
  /** The SoC's temperature in millidegrees Celsius (a Raspberry Pi's cpu-thermal zone). */
  readonly thermalZoneTemp: string;
}

export const defaultHostHealthPaths: HostHealthPaths = {
  meminfo: '/proc/meminfo',
  loadavg: '/proc/loadavg',
  thermalZoneTemp: '/sys/class/thermal/thermal_zone0/temp',
};

/** The IO edge for a filesystem's space (statfs(2) in production: no process started). */
export interface DiskStats {
  space(path: string): Promise<{ readonly freeBytes: number; readonly totalBytes: number }>;
}

export type HostErrorCode = 'host_proc_unreadable' | 'host_disk_unreadable';

/** `MemAvailable` and `MemTotal` of /proc/meminfo (kB there), in bytes. */
export function parseMeminfo(text: string): { availableBytes: number; totalBytes: number } | null {
  const kb = (key: string) => {
    const match = new RegExp(`^${key}:\\s+(\\d+) kB$`, 'm').exec(text);
    return match?.[1] === undefined ? null : Number(match[1]) * 1024;
  };
  const availableBytes = kb('MemAvailable');
  const totalBytes = kb('MemTotal');
  return availableBytes === null || totalBytes === null ? null : { availableBytes, totalBytes };
}

/** The three load averages at the start of /proc/loadavg. */
export function parseLoadavg(text: string): [number, number, number] | null {
  const [a, b, c] = text.trim().split(/\s+/).slice(0, 3).map(Number);
  if (a === undefined || b === undefined || c === undefined) return null;
  return [a, b, c].every((n) => Number.isFinite(n) && n >= 0) ? [a, b, c] : null;
}

/** A thermal zone's `temp` (millidegrees) in degrees, to 0.1. */
export function parseThermal(text: string): number | null {
  const milli = Number(text.trim());
  return text.trim() !== '' && Number.isFinite(milli) ? Math.round(milli / 100) / 10 : null;
}

export async function readMemory(
  files: FileReader,
  path: string,
): Promise<Result<{ availableBytes: number; totalBytes: number }, HostErrorCode>> {
  try {
    const memory = parseMeminfo(await files.readText(path));
    return memory === null ? fail('host_proc_unreadable', `${path} has no MemAvailable`) : ok(memory);
  } catch (error) {
    return fail('host_proc_unreadable', `cannot read ${path}: ${(error as Error).message}`);
  }
}

export async function readLoad(
  files: FileReader,
  path: string,
): Promise<Result<[number, number, number], HostErrorCode>> {
  try {
    const load = parseLoadavg(await files.readText(path));
    return load === null ? fail('host_proc_unreadable', `${path} holds no load averages`) : ok(load);
  } catch (error) {
    return fail('host_proc_unreadable', `cannot read ${path}: ${(error as Error).message}`);
  }
}

/** Null where the host has no such zone (not a Pi, a container): that is not a failure. */
export async function readTemperature(files: FileReader, path: string): Promise<number | null> {
  try {
    return parseThermal(await files.readText(path));
  } catch {
    return null;
  }
}
