import { MS_PER_HOUR } from '@pantau/shared';

/** Readings kept per site; with `MIN_READING_GAP_MS` between them, over four hours. */
export const MAX_BATTERY_READINGS = 48;
/** Readings closer together than this replace the newest: a battery changes slowly. */
export const MIN_READING_GAP_MS = 5 * 60_000;

/** Adds a reading to a site's list, newest last; a reading older than the newest is ignored. */
export function addReading(readings: [number, number][], atMs: number, volts: number): void {
  const newest = readings[readings.length - 1];
  if (newest !== undefined && atMs < newest[0]) return;
  if (newest !== undefined && atMs - newest[0] < MIN_READING_GAP_MS && readings.length > 1) {
    const previous = readings[readings.length - 2];
    if (previous !== undefined && atMs - previous[0] < MIN_READING_GAP_MS) {
      readings[readings.length - 1] = [atMs, volts];
      return;
    }
  }
  readings.push([atMs, volts]);
  if (readings.length > MAX_BATTERY_READINGS) readings.splice(0, readings.length - MAX_BATTERY_READINGS);
}

export interface Trend {
  /** Volts per hour (negative: discharging). */
  readonly voltsPerHour: number;
  /** The fitted voltage at `atMs`. */
  readonly volts: number;
  readonly atMs: number;
}

/**
 * Least-squares line through the readings of the last `windowMs` before `nowMs`; null with fewer
 * than `minReadings` or a span under `minSpanMs`.
 */
export function batteryTrend(
  readings: readonly [number, number][],
  nowMs: number,
  windowMs: number,
  minReadings: number,
  minSpanMs: number,
): Trend | null {
  let n = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (const [atMs, volts] of readings) {
    if (atMs < nowMs - windowMs || atMs > nowMs) continue;
    const x = (atMs - nowMs) / MS_PER_HOUR;
    n++;
    sx += x;
    sy += volts;
    sxx += x * x;
    sxy += x * volts;
    first = Math.min(first, atMs);
    last = Math.max(last, atMs);
  }
  if (n < minReadings || last - first < minSpanMs) return null;
  const denominator = n * sxx - sx * sx;
  if (denominator === 0) return null;
  const slope = (n * sxy - sx * sy) / denominator;
  const intercept = (sy - slope * sx) / n;
  return { voltsPerHour: slope, volts: intercept, atMs: nowMs };
}
