import { between, createDraw } from '../fleet/index.js';
import type { FixtureSite } from './fixture-fleet.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** WITA is UTC+8: the sun over Kalimantan Timur peaks near 04:00 UTC. */
const WITA_OFFSET_MS = 8 * HOUR_MS;

/** The `/api/sites/:id/series` answer for a fixture site: daily rhythms of use, sun and battery. */
export function fixtureSeries(site: FixtureSite, seed: number, fromMs: number, toMs: number, grain: 'hour' | 'day') {
  const stepMs = grain === 'hour' ? HOUR_MS : DAY_MS;
  const draw = createDraw(seed ^ hash(site.siteId));
  const t: number[] = [];
  for (let ms = Math.floor(fromMs / stepMs) * stepMs; ms < toMs; ms += stepMs) t.push(ms);
  const silentFrom =
    site.state === 'offline' ? (site.sinceMs ?? toMs) : site.state === 'unknown' ? 0 : Number.POSITIVE_INFINITY;
  const heard = (ms: number) => ms < silentFrom;
  const hourOfDay = (ms: number) => ((ms + WITA_OFFSET_MS) % DAY_MS) / HOUR_MS;
  const sun = (ms: number) => (grain === 'day' ? 0.32 : Math.max(0, Math.sin(((hourOfDay(ms) - 6) / 12) * Math.PI)));
  const use = (ms: number) => (grain === 'day' ? 0.45 : Math.max(0.05, Math.sin(((hourOfDay(ms) - 7) / 14) * Math.PI)));
  const scale = grain === 'hour' ? 1 : 24;
  const col = (f: (ms: number, i: number) => number) => t.map((ms, i) => (heard(ms) ? f(ms, i) : null));
  const n = (ms: number, k: string) => draw(Math.floor(ms / stepMs), k);
  const baseRtt = site.state === 'degraded' ? 300 : 40;
  return {
    grain,
    t,
    rttMsByRole: {
      gateway: col((ms) => round(between(n(ms, 'gw'), 0.8, 3.5), 1)),
      internet: col((ms) => round(baseRtt + between(n(ms, 'rtt'), 0, 40) + 20 * use(ms), 1)),
    },
    lossPct: col((ms) => round(n(ms, 'loss') < 0.9 ? 0 : between(n(ms, 'lossV'), 0.5, 8), 1)),
    downBytes: col((ms) => Math.round(scale * use(ms) * between(n(ms, 'down'), 50e6, 400e6))),
    upBytes: col((ms) => Math.round(scale * use(ms) * between(n(ms, 'up'), 5e6, 60e6))),
    clientsMax: col((ms) => Math.round(use(ms) * between(n(ms, 'cl'), 3, 25))),
    activeMinutes: col((ms) => Math.round(Math.min(60 * scale, scale * 60 * use(ms)))),
    onlineMinutes: col(() => 60 * scale),
    batteryMinVolts: col((ms) => round(12.1 + 0.8 * sun(ms) + between(n(ms, 'vmin'), -0.1, 0.1), 2)),
    batteryMaxVolts: col((ms) => round(12.4 + 1.6 * sun(ms) + between(n(ms, 'vmax'), -0.1, 0.1), 2)),
    solarWatts: col((ms) => Math.round(sun(ms) * between(n(ms, 'sol'), 150, 400))),
    throughput: t
      .filter((ms, i) => heard(ms) && (grain === 'day' || i % 6 === 3))
      .map((ms) => ({
        atMs: ms + 5 * 60_000,
        downMbps: round(between(n(ms, 'dl'), 20, 180), 1),
        upMbps: round(between(n(ms, 'ul'), 4, 25), 1),
      })),
  };
}

/** `/api/sites/:id/completeness`: the days in the window, each with its samples expected and received. */
export function fixtureCompleteness(site: FixtureSite, seed: number, fromMs: number, toMs: number) {
  const draw = createDraw(seed ^ hash(site.siteId));
  const expected = 1440;
  const days: { day: string; expected: number; received: number; missing: number }[] = [];
  for (let ms = Math.floor(fromMs / DAY_MS) * DAY_MS; ms < toMs; ms += DAY_MS) {
    const silent = site.state === 'unknown' || (site.state === 'offline' && ms >= (site.sinceMs ?? toMs));
    const received = silent ? 0 : Math.round(expected * between(draw(ms / DAY_MS, 'complete'), 0.9, 1));
    days.push({ day: new Date(ms).toISOString().slice(0, 10), expected, received, missing: expected - received });
  }
  return { days: days.reverse() };
}

function hash(text: string): number {
  let h = 2_166_136_261;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 16_777_619);
  return h >>> 0;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
