import type { FleetSite } from './fleet-sites.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** Why a site's link is down for a while: its own uplink, a whole area's, or a flapping link. */
export type LinkOrigin = 'uplink' | 'regional' | 'flap';

/** An interval in which a site's link to the NOC is down. */
export interface LinkDown {
  readonly fromMs: number;
  readonly toMs: number;
  readonly origin: LinkOrigin;
  /** The agent's own link check sees it down (`linkUp: false`); else only the NOC is unreachable. */
  readonly seenDown: boolean;
}

/** A fault at the NOC: the broker restarted, or the collector did. */
export interface NocEvent {
  readonly kind: 'broker_restart' | 'collector_restart';
  readonly atMs: number;
  readonly downMs: number;
}

/** The injected faults of a month, except power cuts: those follow from the batteries and the weather. */
export interface TruthPlan {
  readonly startMs: number;
  readonly days: number;
  /** Per site, its link outages, sorted and not overlapping. */
  readonly linkDown: ReadonlyMap<string, readonly LinkDown[]>;
  readonly noc: readonly NocEvent[];
  /** The share of a clear day's sun, per kabupaten and day. */
  weather(kabupatenCode: string, atMs: number): number;
}

const between = (random: () => number, a: number, b: number) => a + (b - a) * random();
/** Durations spread over orders of magnitude (many short outages, a few long ones). */
const logBetween = (random: () => number, a: number, b: number) => Math.exp(between(random, Math.log(a), Math.log(b)));

export interface PlanOptions {
  readonly uplinkOutagesPerSite: number;
  readonly flappingShare: number;
  readonly regionalOutages: number;
  readonly brokerRestarts: number;
  readonly collectorRestarts: number;
  readonly cloudyShare: number;
}

export const DEFAULT_PLAN: PlanOptions = {
  uplinkOutagesPerSite: 1.2,
  flappingShare: 0.15,
  regionalOutages: 3,
  brokerRestarts: 2,
  collectorRestarts: 3,
  cloudyShare: 0.3,
};

/** A seeded month of faults for `sites`, from `startMs` for `days` days. */
export function planMonth(
  sites: readonly FleetSite[],
  startMs: number,
  days: number,
  random: () => number,
  options: PlanOptions = DEFAULT_PLAN,
): TruthPlan {
  const endMs = startMs + days * DAY_MS;
  // Faults begin after the first day, once every site has its rhythm, and end a day before the month.
  const anyTime = () => between(random, startMs + DAY_MS, endMs - DAY_MS);
  const perSite = new Map<string, LinkDown[]>(sites.map((s) => [s.record.siteId, []]));
  const add = (siteId: string, down: LinkDown) => perSite.get(siteId)?.push(down);

  for (const site of sites) {
    const id = site.record.siteId;
    const count = Math.floor(options.uplinkOutagesPerSite + random() * 1.5) - (random() < 0.4 ? 1 : 0);
    for (let k = 0; k < count; k++) {
      const fromMs = anyTime();
      const toMs = fromMs + logBetween(random, 3 * MINUTE_MS, 10 * HOUR_MS);
      add(id, { fromMs, toMs, origin: 'uplink', seenDown: random() < 0.8 });
    }
    if (random() < options.flappingShare) {
      // A flapping link: an hour or three of drops of 20 s to 4 min, every 3 to 15 minutes.
      let t = anyTime();
      const untilMs = t + between(random, HOUR_MS, 3 * HOUR_MS);
      while (t < untilMs) {
        const toMs = t + between(random, 20_000, 4 * MINUTE_MS);
        add(id, { fromMs: t, toMs, origin: 'flap', seenDown: true });
        t = toMs + between(random, 3 * MINUTE_MS, 15 * MINUTE_MS);
      }
    }
  }
  // An area's backhaul (a VSAT hub, a regional fibre) down: every site of one kecamatan at once.
  for (let r = 0; r < options.regionalOutages; r++) {
    const pick = sites[Math.floor(random() * sites.length)];
    if (pick === undefined) continue;
    const fromMs = anyTime();
    const toMs = fromMs + between(random, 40 * MINUTE_MS, 3 * HOUR_MS);
    for (const s of sites) {
      if (s.record.kecamatanCode !== pick.record.kecamatanCode) continue;
      // Each site notices within a minute or two.
      add(s.record.siteId, { fromMs: fromMs + between(random, 0, 90_000), toMs, origin: 'regional', seenDown: true });
    }
  }
  const linkDown = new Map<string, readonly LinkDown[]>();
  for (const [id, list] of perSite) linkDown.set(id, withoutOverlaps(list));

  const noc: NocEvent[] = [];
  for (let b = 0; b < options.brokerRestarts; b++) {
    noc.push({ kind: 'broker_restart', atMs: anyTime(), downMs: between(random, 15_000, 3 * MINUTE_MS) });
  }
  for (let c = 0; c < options.collectorRestarts; c++) {
    noc.push({ kind: 'collector_restart', atMs: anyTime(), downMs: between(random, 30_000, 10 * MINUTE_MS) });
  }
  noc.sort((a, b) => a.atMs - b.atMs);

  const kabupaten = [...new Set(sites.map((s) => s.record.kabupatenCode))];
  const weather = new Map<string, number>();
  for (const code of kabupaten) {
    for (let d = 0; d <= days; d++) {
      const cloudy = random() < options.cloudyShare;
      weather.set(`${code}/${d}`, cloudy ? between(random, 0.25, 0.5) : between(random, 0.85, 1.1));
    }
  }
  return {
    startMs,
    days,
    linkDown,
    noc,
    weather: (code, atMs) => weather.get(`${code}/${Math.floor((atMs - startMs) / DAY_MS)}`) ?? 1,
  };
}

/** Sorted, and a later outage that starts inside an earlier one is merged into it. */
function withoutOverlaps(list: LinkDown[]): LinkDown[] {
  const sorted = [...list].sort((a, b) => a.fromMs - b.fromMs);
  const out: LinkDown[] = [];
  for (const down of sorted) {
    const last = out[out.length - 1];
    // Two minutes apart at least, so each outage is its own in the truth.
    if (last !== undefined && down.fromMs < last.toMs + 2 * MINUTE_MS) {
      out[out.length - 1] = { ...last, toMs: Math.max(last.toMs, down.toMs) };
    } else out.push(down);
  }
  return out;
}
