import { MS_PER_DAY } from '@pantau/shared';
import { getTimes } from 'suncalc';

/** Whether the sun is down at a place and time, and when it next rises. */
export interface SunView {
  readonly night: boolean;
  readonly nextSunriseMs: number;
  /** The view holds until the next sunrise or sunset. */
  readonly validUntilMs: number;
}

/**
 * Sunrises and sunsets of the days around `atMs` (suncalc, a solar-position library), so the answer
 * does not depend on which solar day a library files an instant under.
 */
export function sunAt(atMs: number, latitude: number, longitude: number): SunView | null {
  const events: { ms: number; rise: boolean }[] = [];
  for (const offset of [-MS_PER_DAY, 0, MS_PER_DAY, 2 * MS_PER_DAY]) {
    const t = getTimes(new Date(atMs + offset), latitude, longitude);
    if (t.sunrise !== null) events.push({ ms: t.sunrise.getTime(), rise: true });
    if (t.sunset !== null) events.push({ ms: t.sunset.getTime(), rise: false });
  }
  events.sort((a, b) => a.ms - b.ms);
  let previous: { ms: number; rise: boolean } | undefined;
  let next: { ms: number; rise: boolean } | undefined;
  for (const e of events) {
    if (e.ms <= atMs) previous = e;
    else if (next === undefined) next = e;
  }
  const nextSunrise = events.find((e) => e.rise && e.ms > atMs);
  if (previous === undefined || next === undefined || nextSunrise === undefined) return null;
  return { night: !previous.rise, nextSunriseMs: nextSunrise.ms, validUntilMs: next.ms };
}

/** Caches each site's view until it changes: a pass over a fleet computes few of them. */
export function createSunCache(): (key: string, atMs: number, latitude: number, longitude: number) => SunView | null {
  const cache = new Map<string, SunView>();
  return (key, atMs, latitude, longitude) => {
    const cached = cache.get(key);
    if (cached !== undefined && atMs < cached.validUntilMs && atMs >= cached.validUntilMs - MS_PER_DAY) return cached;
    const view = sunAt(atMs, latitude, longitude);
    if (view === null) cache.delete(key);
    else cache.set(key, view);
    return view;
  };
}
