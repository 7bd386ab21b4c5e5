import { sunAt } from '@pantau/collector';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
/** Panel output at solar noon on a clear day, in hours of load per hour: a clear day fills the battery. */
const PEAK_YIELD = 5;
/** The controller connects the load again once the battery holds this many hours of it, in sunlight. */
const RECONNECT_HOURS = 1.5;

/** Sunrise and sunset of one day at one place. */
interface SunDay {
  readonly riseMs: number;
  readonly setMs: number;
}

/**
 * A solar site's battery, minute by minute: the load (Pi, terminal, router) drains it, the panels
 * charge it by day in proportion to the day's weather; the charge controller disconnects the load at
 * empty and connects it again once the morning sun has put some charge back. Voltage follows the
 * state of charge with a knee near empty (a lead-acid or LiFePO4 battery under load), so a battery
 * running flat reads low and falling fast in its last hour.
 */
export class SiteBattery {
  private socHours: number;
  private day: SunDay | null = null;
  private charging = false;
  private chargeRate = 0;
  powered = true;

  constructor(
    private readonly capacityHours: number,
    private readonly disconnectVolts: number,
    private readonly latitude: number,
    private readonly longitude: number,
    initialShare: number,
  ) {
    this.socHours = capacityHours * initialShare;
  }

  /** Advances one minute ending at `atMs` under `weather` (the share of a clear day's sun). */
  step(atMs: number, weather: number): void {
    const solar = this.solarAt(atMs) * weather;
    const load = this.powered ? 1 : 0;
    this.socHours = Math.min(this.capacityHours, Math.max(0, this.socHours + (solar - load) / 60));
    if (this.powered && this.socHours <= 0) this.powered = false;
    else if (!this.powered && solar > 0 && this.socHours >= RECONNECT_HOURS) this.powered = true;
    this.charging = solar > load;
    this.chargeRate = solar - load;
  }

  /** The battery's terminal voltage now, with a reading's noise from `random`. */
  volts(random: () => number): number {
    const share = this.socHours / this.capacityHours;
    const bump = this.charging ? 0.9 * Math.min(1, this.chargeRate / 2) : 0;
    const noise = (random() - 0.5) * 0.03;
    return Math.round((this.disconnectVolts + 1.35 * share ** 0.4 + bump + noise) * 100) / 100;
  }

  /** The panels' output now on a clear day, in hours of load per hour. */
  private solarAt(atMs: number): number {
    const day = this.sunDay(atMs);
    if (atMs <= day.riseMs || atMs >= day.setMs) return 0;
    return PEAK_YIELD * Math.sin((Math.PI * (atMs - day.riseMs)) / (day.setMs - day.riseMs));
  }

  private sunDay(atMs: number): SunDay {
    // A day's figures serve the nights on either side of it too (the sun is down then anyway).
    if (this.day !== null && atMs < this.day.setMs + 11 * HOUR_MS && atMs > this.day.riseMs - 11 * HOUR_MS) {
      return this.day;
    }
    // The sunrise after the night before `atMs` (or this morning's), and the sunset after it.
    const night = sunAt(atMs - 12 * HOUR_MS, this.latitude, this.longitude);
    const riseMs = night?.nextSunriseMs ?? atMs;
    const day = sunAt(riseMs + MINUTE_MS, this.latitude, this.longitude);
    this.day = { riseMs, setMs: day?.validUntilMs ?? riseMs + 12 * HOUR_MS };
    return this.day;
  }
}
