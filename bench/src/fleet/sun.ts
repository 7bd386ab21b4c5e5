const MS_PER_HOUR = 3_600_000;
export const MS_PER_MINUTE = 60_000;
export const MS_PER_DAY = 86_400_000;
/** Kalimantan Timur keeps WITA, UTC+8, all year. */
const WITA_OFFSET_MS = 8 * MS_PER_HOUR;

/** Local (WITA) clock time and weekday of a moment. */
export interface LocalTime {
  /** Hours since local midnight, fractional. */
  readonly hour: number;
  /** 0 Sunday ... 6 Saturday. */
  readonly weekday: number;
  /** Days since the epoch in local time: the key for a day's weather and outages. */
  readonly day: number;
}

export function localTime(atMs: number): LocalTime {
  const local = atMs + WITA_OFFSET_MS;
  const day = Math.floor(local / MS_PER_DAY);
  return { hour: (local - day * MS_PER_DAY) / MS_PER_HOUR, weekday: (day + 4) % 7, day };
}

/**
 * The sun's share of a clear noon on a panel, 0 at night. These sites lie within 2.5 degrees of
 * the equator, where the day is 12 hours long all year and the sun rises near 06:00 local solar
 * time: a half sine between sunrise and sunset is within the simulator's needs (the collector's
 * power-at-risk rule uses a real solar-position library for sunrise).
 */
export function sunFactor(atMs: number, longitude: number): number {
  const solarHour = (((atMs / MS_PER_HOUR + longitude / 15) % 24) + 24) % 24;
  if (solarHour <= 6 || solarHour >= 18) return 0;
  return Math.sin((Math.PI * (solarHour - 6)) / 12);
}
