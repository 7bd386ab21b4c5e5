import type { AlertCause } from '@pantau/shared';
import type { HealthConfig } from './config.js';
import type { HealthSample } from './sample-view.js';
import type { Condition, SiteHealth } from './site-state.js';

const SLOW = 1;
const LOSSY = 2;
const LINK_DOWN = 4;
/** Samples kept per site for the trailing window; older ones fall out first. */
const MAX_KEPT = 128;

/** Records a sample's quality flags (samples older than the newest kept are out of the live window). */
export function noteQuality(site: SiteHealth, sample: HealthSample, config: HealthConfig['degraded']): void {
  let flags = 0;
  if (sample.rttMs !== null && sample.rttMs > config.maxRttMs) flags |= SLOW;
  if (sample.lossPct !== null && sample.lossPct > config.maxLossPct) flags |= LOSSY;
  if (sample.linkUp === false) flags |= LINK_DOWN;
  const q = site.quality;
  const newest = q[q.length - 1];
  if (newest !== undefined && sample.atMs < newest[0] - config.windowSec * 1000) return;
  q.push([sample.atMs, flags]);
  if (newest !== undefined && sample.atMs < newest[0]) q.sort((a, b) => a[0] - b[0]);
  if (q.length > MAX_KEPT) q.splice(0, q.length - MAX_KEPT);
}

/**
 * Degraded when at least `badShare` of the samples in the window before `nowMs` were slow, lossy
 * or saw the link down. The cause names the most frequent problem.
 */
export function judgeDegraded(site: SiteHealth, nowMs: number, config: HealthConfig['degraded']): Condition | null {
  const fromMs = nowMs - config.windowSec * 1000;
  let total = 0;
  let bad = 0;
  let slow = 0;
  let lossy = 0;
  let down = 0;
  let firstBadMs = Number.POSITIVE_INFINITY;
  for (const [atMs, flags] of site.quality) {
    if (atMs < fromMs) continue;
    total++;
    if (flags === 0) continue;
    bad++;
    firstBadMs = Math.min(firstBadMs, atMs);
    if (flags & SLOW) slow++;
    if (flags & LOSSY) lossy++;
    if (flags & LINK_DOWN) down++;
  }
  if (total < config.minSamples || bad < config.badShare * total) return null;
  const cause: AlertCause = down >= lossy && down >= slow ? 'link_down' : lossy >= slow ? 'loss' : 'latency';
  return {
    cause,
    detail: `${cause}_share`,
    sinceMs: firstBadMs,
    values: { badPct: Math.round((100 * bad) / total), samples: total },
  };
}
