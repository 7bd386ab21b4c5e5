import { type BatteryModel, createBatteryModel, type PowerReading } from './battery-model.js';
import { between, type Draw } from './draw.js';
import type { SitePlan } from './site-plan.js';
import { localTime, MS_PER_DAY, MS_PER_MINUTE, sunFactor } from './sun.js';
import { expectedClients, type UsageMinute, usageMinute } from './usage-model.js';

/** How rough the simulated field is. */
export interface WorldOptions {
  /** Chance a site has an uplink outage on a given day. */
  readonly outageChancePerDay: number;
  /** Chance a day is overcast over a kecamatan (the panels give a fifth to two fifths). */
  readonly cloudyDayChance: number;
}

export const defaultWorldOptions: WorldOptions = { outageChancePerDay: 0.15, cloudyDayChance: 0.3 };

/** What changed in a site's world as time moved on. */
export type WorldEvent = 'power_off' | 'power_on' | 'uplink_down' | 'uplink_up';

/** One site's surroundings: its battery and sun, its uplink, its users, and its clock after a boot. */
export interface SiteWorld {
  /** Moves the world on, a minute at a time, to `simMs`; returns what changed, in order. */
  advanceTo(simMs: number): WorldEvent[];
  readonly powered: boolean;
  readonly uplinkUp: boolean;
  readonly power: PowerReading;
  /** The client traffic of the whole minutes in [fromMs, toMs). */
  usage(fromMs: number, toMs: number): UsageMinute;
  /** Devices expected now (the clients probe's hour figure leans on it). */
  expectedClients(atMs: number): number;
  /** How far the site's wall clock is off (0 once NTP has synced), and whether it has synced. */
  readonly clockOffsetMs: number;
  readonly clockSynced: boolean;
  /** When the site's current boot began, and how many boots it has had (0 at the start). */
  readonly bootAtMs: number;
  readonly boots: number;
  /** From `atMs` on: power, uplink and a synchronised clock for good (to let a fleet drain). */
  calm(atMs: number): void;
}

/** fake-hwclock saves the time hourly; after a power cut the Pi boots at the last save. */
const HWCLOCK_SAVE_MS = 3_600_000;

export function createSiteWorld(plan: SitePlan, draw: Draw, startMs: number, options: WorldOptions): SiteWorld {
  const key = plan.siteId;
  const battery: BatteryModel = createBatteryModel(plan.plant, plan.initialStateOfCharge);
  let minuteMs = Math.floor(startMs / MS_PER_MINUTE) * MS_PER_MINUTE;
  let powered = true;
  let uplinkUp = !inOutage(minuteMs);
  let bootAtMs = startMs;
  let boots = 0;
  let clockOffsetMs = 0;
  let clockSynced = true;
  let syncAtMs: number | null = null;
  let lastPowerOffMs = startMs;
  let calmed = false;
  battery.step(sunAt(minuteMs));

  function cloudFactor(atMs: number): number {
    const day = localTime(atMs).day;
    const u = draw(plan.kecamatanCode, 'weather', day);
    return u < options.cloudyDayChance
      ? between(draw(plan.kecamatanCode, 'cloud', day), 0.2, 0.4)
      : between(u, 0.75, 1);
  }

  function sunAt(atMs: number): number {
    return sunFactor(atMs, plan.longitude) * cloudFactor(atMs);
  }

  /** An outage window of a day: its start and end, or null on a day without one. */
  function outageOf(day: number): [number, number] | null {
    if (draw(key, 'outage', day) >= options.outageChancePerDay) return null;
    const fromMs = day * MS_PER_DAY + draw(key, 'outage-at', day) * MS_PER_DAY;
    // Ten minutes to four hours, most of them short.
    const lengthMs = 10 * MS_PER_MINUTE * 24 ** draw(key, 'outage-length', day);
    return [fromMs, fromMs + lengthMs];
  }

  function inOutage(atMs: number): boolean {
    // Outage days are counted in UTC days here: only the windows matter, not whose midnight.
    const day = Math.floor(atMs / MS_PER_DAY);
    return [day - 1, day].some((d) => {
      const window = outageOf(d);
      return window !== null && atMs >= window[0] && atMs < window[1];
    });
  }

  function clientsAt(atMs: number): number {
    return expectedClients(plan.group, localTime(atMs), plan.clientsAtPeak);
  }

  function stepMinute(events: WorldEvent[]): void {
    minuteMs += MS_PER_MINUTE;
    const reading = battery.step(sunAt(minuteMs));
    if (powered && !reading.loadOn) {
      powered = false;
      lastPowerOffMs = minuteMs;
      events.push('power_off');
    } else if (!powered && reading.loadOn) {
      powered = true;
      boots += 1;
      bootAtMs = minuteMs;
      // Booted at the last hourly save before the cut: behind by the cut and up to an hour.
      clockOffsetMs = -Math.round(minuteMs - lastPowerOffMs + draw(key, 'hwclock', boots) * HWCLOCK_SAVE_MS);
      clockSynced = false;
      syncAtMs = null;
      events.push('power_on');
    }
    const up = !inOutage(minuteMs);
    if (up !== uplinkUp) {
      uplinkUp = up;
      events.push(up ? 'uplink_up' : 'uplink_down');
    }
    if (powered && !clockSynced) {
      // NTP needs the uplink: it syncs a minute or three after the link is there.
      if (uplinkUp && syncAtMs === null)
        syncAtMs = minuteMs + Math.round(between(draw(key, 'ntp', boots), 1, 3)) * MS_PER_MINUTE;
      if (!uplinkUp) syncAtMs = null;
      if (syncAtMs !== null && minuteMs >= syncAtMs) {
        clockSynced = true;
        clockOffsetMs = 0;
      }
    }
  }

  return {
    advanceTo(simMs) {
      const events: WorldEvent[] = [];
      if (calmed) return events;
      while (minuteMs + MS_PER_MINUTE <= simMs) stepMinute(events);
      return events;
    },
    get powered() {
      return powered;
    },
    get uplinkUp() {
      return uplinkUp;
    },
    get power() {
      return battery.reading;
    },
    usage(fromMs, toMs) {
      const total = { clients: 0, rxBytes: 0, txBytes: 0, peakRxBitsPerSec: 0, peakTxBitsPerSec: 0 };
      const first = Math.max(Math.ceil(fromMs / MS_PER_MINUTE), Math.floor(toMs / MS_PER_MINUTE) - 60);
      for (let minute = first; minute < Math.floor(toMs / MS_PER_MINUTE); minute += 1) {
        const m = usageMinute(draw, key, minute, clientsAt(minute * MS_PER_MINUTE));
        total.clients = Math.max(total.clients, m.clients);
        total.rxBytes += m.rxBytes;
        total.txBytes += m.txBytes;
        total.peakRxBitsPerSec = Math.max(total.peakRxBitsPerSec, m.peakRxBitsPerSec);
        total.peakTxBitsPerSec = Math.max(total.peakTxBitsPerSec, m.peakTxBitsPerSec);
      }
      return total;
    },
    expectedClients: clientsAt,
    get clockOffsetMs() {
      return clockOffsetMs;
    },
    get clockSynced() {
      return clockSynced;
    },
    get bootAtMs() {
      return bootAtMs;
    },
    get boots() {
      return boots;
    },
    calm(atMs) {
      calmed = true;
      if (!powered) {
        powered = true;
        boots += 1;
        bootAtMs = atMs;
      }
      uplinkUp = true;
      clockSynced = true;
      clockOffsetMs = 0;
    },
  };
}
