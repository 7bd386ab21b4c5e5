import { addReading, batteryTrend } from './battery.js';
import { type CauseView, inferCause } from './cause.js';
import { type EngineContext, setCondition } from './context.js';
import type { HealthSample } from './sample-view.js';
import type { BeforeEvidence, OfflineEpisode, OfflineSource, SiteHealth } from './site-state.js';

const GAPS_KEPT = 5;
/** A site's own rhythm counts up to this; longer gaps are outages, not a slower schedule. */
const MAX_LEARNED_INTERVAL_MS = 6 * 3_600_000;

/** How long a site may be silent before it is offline: its delivery rhythm x factor + grace. */
export function silenceAfterMs(site: SiteHealth, ctx: EngineContext): number {
  const { silenceFactor, silenceGraceSec } = ctx.config.offline;
  return Math.max(site.expectedDeliveryMs, site.learnedIntervalMs) * silenceFactor + silenceGraceSec * 1000;
}

/** Late: not heard within its delivery rhythm + grace (a sign, not yet an outage). */
export function overdueAfterMs(site: SiteHealth, ctx: EngineContext): number {
  return Math.max(site.expectedDeliveryMs, site.learnedIntervalMs) + ctx.config.offline.silenceGraceSec * 1000;
}

/** The median of the last gaps between deliveries (0 until there are three), bounded. */
function medianGap(gaps: readonly number[]): number {
  if (gaps.length < 3) return 0;
  const sorted = [...gaps].sort((a, b) => a - b);
  return Math.min(sorted[Math.floor(sorted.length / 2)] ?? 0, MAX_LEARNED_INTERVAL_MS);
}

/** The site was heard at `receivedMs` (a telemetry message or an online status). */
export function heard(site: SiteHealth, receivedMs: number, telemetry: boolean, ctx: EngineContext): void {
  const previous = site.lastHeardMs;
  if (telemetry && previous !== null && site.offline === null && receivedMs > previous) {
    site.arrivalGapsMs.push(receivedMs - previous);
    if (site.arrivalGapsMs.length > GAPS_KEPT) site.arrivalGapsMs.shift();
    site.learnedIntervalMs = medianGap(site.arrivalGapsMs);
  }
  site.lastHeardMs = Math.max(previous ?? 0, receivedMs);
  site.pendingWill = null;
  site.heldBy = null;
  if (site.offline !== null) closeEpisode(site, receivedMs, ctx);
  ctx.dirty.add(site);
}

export function openEpisode(
  site: SiteHealth,
  source: OfflineSource,
  detectedMs: number,
  ctx: EngineContext,
): OfflineEpisode {
  const onsetMs = Math.max(site.lastHeardMs ?? detectedMs, site.last?.atMs ?? 0);
  const episode: OfflineEpisode = {
    id: ctx.newId(`${site.siteId}/offline`),
    source,
    onsetMs,
    detectedMs,
    endMs: null,
    inMaintenance: ctx.inMaintenance(site.siteId, detectedMs),
    before: beforeEvidence(site),
    during: { samples: 0, sameBoot: 0, linkDown: 0, terminalDown: 0, firstLinkDownAtMs: null, lastSameBootAtMs: null },
    after: {
      returned: false,
      newBoot: null,
      previousRunClean: null,
      agentRestarted: null,
      terminalRebooted: null,
      underVoltageSinceBoot: null,
    },
    firstCause: 'unknown',
    firstDetail: '',
    cause: 'unknown',
    detail: '',
  };
  const view = judge(site, episode, ctx);
  Object.assign(episode, { firstCause: view.cause, firstDetail: view.detail, cause: view.cause, detail: view.detail });
  site.offline = episode;
  site.lastEpisode = null;
  // An offline site is not also "degraded": the outage says it all.
  setCondition(site, 'degraded', null, detectedMs, ctx);
  raise(site, episode, detectedMs, ctx);
  return episode;
}

function beforeEvidence(site: SiteHealth): BeforeEvidence {
  const last = site.last;
  const newest = site.battery[site.battery.length - 1];
  const trend = recentTrend(site);
  const fresh = newest !== undefined && last !== null && last.atMs - newest[0] <= 30 * 60_000;
  return {
    lastSampleAtMs: last?.atMs ?? null,
    bootId: last?.bootId ?? null,
    batteryVolts: fresh && newest !== undefined ? newest[1] : null,
    batteryTrendVph: fresh ? (trend?.voltsPerHour ?? null) : null,
    disconnectVolts: site.registryDisconnectVolts ?? last?.disconnectVolts ?? null,
    underVoltage: last?.underVoltageNow === true,
    linkDown: last?.linkUp === false,
    terminalDown: last?.terminalDown === true,
    dishOutage: last?.dishOutage ?? null,
  };
}

function raise(site: SiteHealth, episode: OfflineEpisode, atMs: number, ctx: EngineContext): void {
  setCondition(
    site,
    'offline',
    {
      cause: episode.cause,
      detail: episode.detail,
      sinceMs: episode.onsetMs,
      values: offlineValues(episode),
    },
    atMs,
    ctx,
  );
}

function offlineValues(episode: OfflineEpisode): Record<string, number | string> {
  const values: Record<string, number | string> = { source: episode.source };
  if (episode.before.batteryVolts !== null) values.batteryVolts = episode.before.batteryVolts;
  return values;
}

function closeEpisode(site: SiteHealth, atMs: number, ctx: EngineContext): void {
  const episode = site.offline;
  if (episode === null) return;
  episode.endMs = atMs;
  episode.after.returned = true;
  site.offline = null;
  site.lastEpisode = episode;
  setCondition(site, 'offline', null, atMs, ctx);
}

/**
 * When the silence began as known before it: the last sample the site had delivered. Unlike the
 * onset, revisions never move it, so backfill arriving newest batch first (as agents send it) is
 * judged against the same moment as the backlog that follows.
 */
function silentFromMs(episode: OfflineEpisode): number {
  return episode.before.lastSampleAtMs ?? episode.onsetMs;
}

/** Is the Pi seen running well past the moment it should have delivered? Then it kept sampling. */
function ranThrough(site: SiteHealth, episode: OfflineEpisode): boolean {
  const last = episode.during.lastSameBootAtMs;
  return last !== null && last > silentFromMs(episode) + site.expectedDeliveryMs + 2 * site.sampleIntervalMs;
}

function judge(site: SiteHealth, episode: OfflineEpisode, ctx: EngineContext): CauseView {
  const during = ranThrough(site, episode) ? episode.during : { ...episode.during, sameBoot: 0 };
  return inferCause({ ...episode, during }, ctx.config.offline);
}

/**
 * Feeds a sample to the open or latest outage of its site: samples from inside the outage (backfill)
 * and the first ones after it are evidence. A revised cause is reported; the first is kept.
 */
export function noteSample(site: SiteHealth, sample: HealthSample, nowMs: number, ctx: EngineContext): void {
  const episode = site.offline ?? site.lastEpisode;
  if (episode === null) return;
  if (episode.endMs !== null && nowMs - episode.endMs > ctx.config.offline.revisionWindowSec * 1000) {
    site.lastEpisode = null;
    return;
  }
  if (sample.atMs <= silentFromMs(episode)) return;
  const sameBoot = sample.bootId === episode.before.bootId;
  const live = episode.endMs !== null && sample.atMs >= episode.endMs - site.sampleIntervalMs;
  if (!live) {
    const d = episode.during;
    d.samples++;
    if (sameBoot) {
      d.sameBoot++;
      d.lastSameBootAtMs = Math.max(d.lastSameBootAtMs ?? 0, sample.atMs);
      lastWordsOfPower(site, episode, sample);
    }
    if (sample.linkUp === false) {
      d.linkDown++;
      d.firstLinkDownAtMs = Math.min(d.firstLinkDownAtMs ?? sample.atMs, sample.atMs);
    }
    if (sample.terminalDown) d.terminalDown++;
    if (sample.dishOutage !== null) {
      d.dishOutage = (d.dishOutage ?? 0) + 1;
      if (sample.dishOutage === 'obstructed') d.dishObstructed = (d.dishObstructed ?? 0) + 1;
    }
  }
  const a = episode.after;
  if (!sameBoot && episode.before.bootId !== null && a.newBoot !== true) {
    a.newBoot = true;
    a.previousRunClean = sample.previousRunClean;
    a.underVoltageSinceBoot = sample.underVoltageSinceBoot;
  }
  if (live && sameBoot && a.newBoot === null) {
    a.newBoot = false;
    const outageMs = sample.atMs - episode.onsetMs;
    a.agentRestarted = sample.agentUptimeMs === null ? null : sample.agentUptimeMs < outageMs;
  }
  if (live && a.terminalRebooted === null && sample.terminalUptimeMs !== null) {
    a.terminalRebooted = sample.terminalUptimeMs < sample.atMs - episode.onsetMs;
  }
  if (live && (a.routerRebooted ?? null) === null && sample.routerUptimeMs !== null) {
    a.routerRebooted = sample.routerUptimeMs < sample.atMs - episode.onsetMs;
  }
  revise(site, episode, nowMs, ctx);
}

/** The Pi's last samples before it stopped say most about its power: they update what was known before. */
function lastWordsOfPower(site: SiteHealth, episode: OfflineEpisode, sample: HealthSample): void {
  if (sample.underVoltageNow === true) episode.before.underVoltage = true;
  if (sample.batteryVolts === null) return;
  addReading(site.battery, sample.atMs, sample.batteryVolts);
  const newest = site.battery[site.battery.length - 1];
  if (newest === undefined || newest[0] !== sample.atMs) return;
  episode.before.batteryVolts = sample.batteryVolts;
  episode.before.batteryTrendVph = recentTrend(site)?.voltsPerHour ?? episode.before.batteryTrendVph;
}

/** The battery's slope over the last two hours of readings, ending at the newest one. */
function recentTrend(site: SiteHealth) {
  const newest = site.battery[site.battery.length - 1];
  return newest === undefined ? null : batteryTrend(site.battery, newest[0], 2 * 3_600_000, 3, 20 * 60_000);
}

function revise(site: SiteHealth, episode: OfflineEpisode, nowMs: number, ctx: EngineContext): void {
  const view = judge(site, episode, ctx);
  const onsetMs = revisedOnset(site, episode, view);
  if (view.cause === episode.cause && view.detail === episode.detail && onsetMs === episode.onsetMs) return;
  const from = { cause: episode.cause, detail: episode.detail };
  episode.cause = view.cause;
  episode.detail = view.detail;
  episode.onsetMs = onsetMs;
  ctx.dirty.add(site);
  ctx.out.push({
    type: 'cause_revised',
    siteId: site.siteId,
    kind: 'offline',
    episodeId: episode.id,
    atMs: nowMs,
    sinceMs: onsetMs,
    endMs: episode.endMs,
    from,
    to: view,
  });
  if (episode.endMs === null) raise(site, episode, nowMs, ctx);
}

/** Backfill tells when the outage really began: the link's first down sample, the Pi's last one. */
function revisedOnset(site: SiteHealth, episode: OfflineEpisode, view: CauseView): number {
  const d = episode.during;
  if (view.cause === 'link' && d.firstLinkDownAtMs !== null) return d.firstLinkDownAtMs;
  if (view.cause === 'power' && d.lastSameBootAtMs !== null && !ranThrough(site, episode)) {
    return Math.max(episode.onsetMs, d.lastSameBootAtMs + site.sampleIntervalMs);
  }
  return episode.onsetMs;
}
