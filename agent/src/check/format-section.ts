/**
 * Shows a probe section's values with their units, read from the field names (`rttAvgMs`,
 * `batteryVolts`), so a new probe needs no formatting code of its own.
 */
const units: readonly [suffix: string, unit: string][] = [
  ['BitsPerSec', 'bit/s'],
  ['Mbps', 'Mbit/s'],
  ['Sec', 's'],
  ['Celsius', '°C'],
  ['Volts', 'V'],
  ['Amps', 'A'],
  ['Watts', 'W'],
  ['Bytes', 'B'],
  ['Pct', '%'],
  ['Ms', 'ms'],
];

export function formatValue(key: string, value: unknown): string {
  if (typeof value === 'number') {
    const unit = units.find(([suffix]) => key.endsWith(suffix))?.[1];
    const shown = unit === 'ms' && value >= 60_000 ? formatDuration(value) : String(value);
    return unit === undefined || shown !== String(value) ? shown : `${shown} ${unit}`;
  }
  return String(value);
}

function formatDuration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.floor(hours / 24)} d`;
}

/** `key value` pairs of the measured (non-null) values, errors excluded; a list of names joined by `+`. */
export function formatValues(values: Readonly<Record<string, unknown>>): string {
  return Object.entries(values)
    .filter(([key, value]) => key !== 'error' && value !== null && value !== undefined && typeof value !== 'object')
    .map(([key, value]) => `${key} ${formatValue(key, value)}`)
    .concat(
      Object.entries(values)
        .filter(([, value]) => Array.isArray(value) && value.length > 0)
        .map(([key, value]) => `${key} ${(value as unknown[]).join('+')}`),
    )
    .join(', ');
}
