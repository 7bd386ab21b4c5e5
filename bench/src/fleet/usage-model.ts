import { type Draw, poisson } from './draw.js';
import type { SiteGroup } from './site-plan.js';
import { type LocalTime, MS_PER_MINUTE } from './sun.js';

/** One minute of a site's client traffic. */
export interface UsageMinute {
  readonly clients: number;
  readonly rxBytes: number;
  readonly txBytes: number;
  readonly peakRxBitsPerSec: number;
  readonly peakTxBitsPerSec: number;
}

/**
 * Expected devices online at a local time, by site group: a school in lesson hours on weekdays, a
 * village office in office hours (Friday short), a health post in clinic hours (Saturday too), and
 * other sites (a community hall, a mosque, a shop) in the evening, every day. Every site has a
 * little use at other times.
 */
export function expectedClients(group: SiteGroup, time: LocalTime, size: number): number {
  const { hour, weekday } = time;
  const weekend = weekday === 0 || weekday === 6;
  const within = (from: number, to: number) => hour >= from && hour < to;
  let level = 0.03;
  switch (group) {
    case 'school':
      if (!weekend && within(7, 13)) level = 1;
      else if (!weekend && within(13, 15)) level = 0.4;
      else if (within(16, 21)) level = 0.15;
      break;
    case 'village_office':
      if (weekday >= 1 && weekday <= 4 && within(8, 16)) level = within(12, 13) ? 0.5 : 1;
      else if (weekday === 5 && within(8, 11.5)) level = 1;
      else if (within(19, 22)) level = 0.1;
      break;
    case 'health_post':
      if (weekday >= 1 && weekday <= 6 && within(8, 14)) level = 0.8;
      else if (within(18, 21)) level = 0.2;
      break;
    case 'other':
      if (within(18, 23)) level = 1;
      else if (within(12, 14)) level = 0.3;
      else if (within(23, 24) || within(0, 1)) level = 0.3;
      break;
  }
  return level * size;
}

/** Bytes a device moves in a minute on average: short video and messaging over a shared terminal. */
const RX_BYTES_PER_CLIENT_MINUTE = 1_500_000;
const TX_SHARE = 0.12;

/** A minute of use, drawn from the site's own stream (the same site and minute give the same figures). */
export function usageMinute(draw: Draw, siteKey: string, minute: number, expected: number): UsageMinute {
  const clients = poisson(draw(siteKey, 'clients', minute), expected);
  if (clients === 0) return { clients, rxBytes: 0, txBytes: 0, peakRxBitsPerSec: 0, peakTxBitsPerSec: 0 };
  // Heavy-tailed per minute: most minutes are light, a few carry a video or an update.
  const spread = Math.exp(2 * (draw(siteKey, 'bytes', minute) - 0.5)) * (0.5 + draw(siteKey, 'burst', minute));
  const rxBytes = Math.round(clients * RX_BYTES_PER_CLIENT_MINUTE * spread);
  const txBytes = Math.round(rxBytes * TX_SHARE * (0.5 + draw(siteKey, 'tx', minute)));
  const peakFactor = 1.5 + 2 * draw(siteKey, 'peak', minute);
  const perSec = (bytes: number) => Math.round(((bytes * 8) / (MS_PER_MINUTE / 1000)) * peakFactor);
  return { clients, rxBytes, txBytes, peakRxBitsPerSec: perSec(rxBytes), peakTxBitsPerSec: perSec(txBytes) };
}
