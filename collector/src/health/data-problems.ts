import type { HealthConfig } from './config.js';
import type { HealthSample } from './sample-view.js';
import type { Condition, SiteHealth } from './site-state.js';

/** Follows runs of unsynchronised samples within one boot (by uptime: the wall clock is the problem). */
export function noteClock(site: SiteHealth, sample: HealthSample): void {
  if (sample.clockSynced) {
    if (site.unsyncedBootId === sample.bootId) {
      site.unsyncedBootId = null;
      site.unsyncedSinceUptimeMs = null;
    }
    return;
  }
  if (site.unsyncedBootId !== sample.bootId) {
    site.unsyncedBootId = sample.bootId;
    site.unsyncedSinceUptimeMs = sample.uptimeMs;
  } else {
    site.unsyncedSinceUptimeMs = Math.min(site.unsyncedSinceUptimeMs ?? sample.uptimeMs, sample.uptimeMs);
  }
}

/**
 * Data problems, most urgent first: the clock has stayed unsynchronised, samples are missing
 * (yesterday's completeness), the site is not in the registry. One condition lists them all.
 */
export function judgeDataProblems(
  site: SiteHealth,
  nowMs: number,
  config: HealthConfig['dataProblems'],
): Condition | null {
  const problems: Condition[] = [];
  const last = site.last;
  if (
    last !== null &&
    site.unsyncedBootId === last.bootId &&
    site.unsyncedSinceUptimeMs !== null &&
    last.uptimeMs - site.unsyncedSinceUptimeMs >= config.clockUnsyncedAfterSec * 1000
  ) {
    const forMs = last.uptimeMs - site.unsyncedSinceUptimeMs;
    problems.push({
      cause: 'clock_unsynced',
      detail: 'clock_unsynced',
      sinceMs: last.atMs - forMs,
      values: { unsyncedMin: Math.round(forMs / 60_000) },
    });
  }
  if (site.usage.samplesMissing !== null) problems.push(site.usage.samplesMissing);
  if (!site.registered) {
    problems.push({ cause: 'unregistered', detail: 'unregistered', sinceMs: site.lastHeardMs ?? nowMs, values: {} });
  }
  const [first] = problems;
  if (first === undefined) return null;
  return { ...first, values: { ...first.values, problems: problems.map((p) => p.cause).join(',') } };
}
