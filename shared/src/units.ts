/** Unit conversions live here so that both sides convert the same way. */
export const MS_PER_SECOND = 1000;
export const MS_PER_MINUTE = 60 * MS_PER_SECOND;
export const MS_PER_HOUR = 60 * MS_PER_MINUTE;
export const MS_PER_DAY = 24 * MS_PER_HOUR;

export function secondsToMs(seconds: number): number {
  return Math.round(seconds * MS_PER_SECOND);
}

export function msToSeconds(ms: number): number {
  return ms / MS_PER_SECOND;
}

/** Percentage with one decimal, e.g. 1 lost of 3 sent is 33.3. */
export function percent(part: number, whole: number): number {
  if (whole === 0) return 0;
  return Math.round((part / whole) * 1000) / 10;
}

/** Milliseconds rounded to microsecond precision: ping prints three decimals. */
export function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
