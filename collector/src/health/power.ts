import { batteryTrend } from './battery.js';
import type { HealthConfig } from './config.js';
import type { Condition, SiteHealth } from './site-state.js';
import type { SunView } from './sun.js';

export type SunLookup = (key: string, atMs: number, latitude: number, longitude: number) => SunView | null;

/** The battery's warning level: a share above its low-voltage disconnect where known, else a fixed level. */
export function batteryWarnVolts(
  disconnectVolts: number | null,
  config: Pick<HealthConfig['power'], 'warnVolts' | 'warnAboveDisconnectPct'>,
): number {
  return disconnectVolts === null ? config.warnVolts : disconnectVolts * (1 + config.warnAboveDisconnectPct / 100);
}

/**
 * Power at risk, judged at the site's newest battery reading: under the warning level, or (at
 * night, where the site's coordinates are known) the night's discharge extrapolated to the
 * low-voltage disconnect before the panels can charge again (sunrise + a margin).
 */
export function judgePower(site: SiteHealth, config: HealthConfig['power'], sun: SunLookup): Condition | null {
  const newest = site.battery[site.battery.length - 1];
  if (newest === undefined) return null;
  const [atMs, volts] = newest;
  const knownDisconnect = site.registryDisconnectVolts ?? site.last?.disconnectVolts ?? null;
  const warnVolts = batteryWarnVolts(knownDisconnect, config);
  if (volts <= warnVolts) {
    return { cause: 'battery_low', detail: 'under_warning', sinceMs: atMs, values: { volts, warnVolts } };
  }
  if (site.latitude === null || site.longitude === null) return null;
  const view = sun(site.siteId, atMs, site.latitude, site.longitude);
  if (view === null || !view.night) return null;
  const trend = batteryTrend(
    site.battery,
    atMs,
    config.trendWindowSec * 1000,
    config.minTrendSamples,
    config.minTrendSpanSec * 1000,
  );
  if (trend === null || trend.voltsPerHour >= 0) return null;
  const disconnectVolts = knownDisconnect ?? config.defaultDisconnectVolts;
  const hoursLeft = (trend.volts - disconnectVolts) / -trend.voltsPerHour;
  const reachMs = atMs + hoursLeft * 3_600_000;
  const chargingMs = view.nextSunriseMs + config.sunriseMarginMin * 60_000;
  if (reachMs >= chargingMs) return null;
  return {
    cause: 'night_discharge',
    detail: 'disconnect_before_sunrise',
    sinceMs: atMs,
    values: {
      volts,
      voltsPerHour: Math.round(trend.voltsPerHour * 1000) / 1000,
      disconnectVolts,
      reachMs: Math.round(reachMs),
      sunriseMs: view.nextSunriseMs,
    },
  };
}
