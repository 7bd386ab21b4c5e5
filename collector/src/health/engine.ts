import type { SiteStatus } from '@pantau/shared';
import type { RegisteredSite } from '../registry/site-registry.js';
import { addReading } from './battery.js';
import type { HealthChange } from './changes.js';
import type { HealthConfig } from './config.js';
import { type EngineContext, setCondition } from './context.js';
import { judgeDataProblems, noteClock } from './data-problems.js';
import { retireSite } from './decommission.js';
import { judgeDegraded, noteQuality } from './degraded.js';
import {
  holdSilences,
  holdWill,
  judging,
  type NocState,
  newNocState,
  nocBroker,
  nocHandedOver,
  nocStarted,
  nocTick,
} from './noc-guard.js';
import { heard, noteSample, openEpisode, overdueAfterMs, silenceAfterMs } from './offline.js';
import { judgePower, type SunLookup } from './power.js';
import type { HealthSample } from './sample-view.js';
import { applyRegistration, isDecommissioned, newSiteHealth, type SiteHealth } from './site-state.js';
import type { UsageJudgement } from './underused.js';

export interface HealthEngineDeps {
  readonly config: HealthConfig;
  /** A new unique id (episodes, NOC incidents) under `prefix`. */
  readonly newId: (prefix: string) => string;
  /** Whether a maintenance window covers the site at that time. */
  readonly inMaintenance: (siteId: string, atMs: number) => boolean;
  readonly sun: SunLookup;
}

/** What one event changed: the changes in order, and the sites to persist. */
export interface Step {
  readonly changes: HealthChange[];
  readonly dirty: SiteHealth[];
}

export interface HealthSnapshot {
  readonly sites: readonly SiteHealth[];
  readonly noc: NocState | null;
  /** When the state was last saved; null on a first start. */
  readonly savedAtMs: number | null;
}

/**
 * Per-site health from the events the collector sees: statuses (birth, will, shutdown with their
 * epochs), samples as they arrive (backfill included), the collector's own broker connection, the
 * registry, the daily usage judgement and clock ticks. Pure logic: time comes with each event.
 * A decommissioned site is not judged: what it sends is kept as evidence, nothing is raised.
 */
export function createHealthEngine(deps: HealthEngineDeps) {
  const { config } = deps;
  const defaults = {
    deliveryMs: config.defaults.deliveryIntervalSec * 1000,
    sampleMs: config.defaults.sampleIntervalSec * 1000,
  };
  const sites = new Map<string, SiteHealth>();
  const registry = new Map<string, RegisteredSite>();
  let noc = newNocState(0);

  function step(run: (ctx: EngineContext) => void): Step {
    const ctx: EngineContext = {
      config,
      out: [],
      dirty: new Set(),
      inMaintenance: deps.inMaintenance,
      newId: deps.newId,
    };
    run(ctx);
    return { changes: ctx.out, dirty: [...ctx.dirty] };
  }

  function ensure(siteId: string, ctx: EngineContext): SiteHealth {
    let site = sites.get(siteId);
    if (site === undefined) {
      site = newSiteHealth(siteId, defaults);
      applyRegistration(site, registry.get(siteId) ?? null, defaults);
      sites.set(siteId, site);
      ctx.dirty.add(site);
    }
    return site;
  }

  function judgeData(site: SiteHealth, nowMs: number, ctx: EngineContext): void {
    setCondition(site, 'data_problem', judgeDataProblems(site, nowMs, config.dataProblems), nowMs, ctx);
  }

  function onStatus(status: SiteStatus, receivedMs: number): Step {
    return step((ctx) => {
      const site = ensure(status.siteId, ctx);
      const current = site.status;
      if (current !== null && status.epoch < current.epoch) return;
      if (current?.epoch === status.epoch && current.state === status.state && current.reason === status.reason) return;
      if (status.state === 'online' && current?.state === 'offline' && status.epoch <= current.epoch) return;
      site.status = { state: status.state, reason: status.reason, epoch: status.epoch, receivedMs };
      ctx.dirty.add(site);
      // Its login was revoked: the broker's will for it is expected, and counts toward no storm.
      if (isDecommissioned(site)) return;
      if (status.state === 'online') {
        heard(site, receivedMs, false, ctx);
      } else if (status.reason === 'shutdown') {
        site.pendingWill = null;
        if (site.offline === null) openEpisode(site, 'shutdown', receivedMs, ctx);
      } else if (site.offline === null) {
        const hold = holdWill(noc, receivedMs, ctx);
        if (hold === null) {
          site.pendingWill = { epoch: status.epoch, receivedMs };
          return;
        }
        site.heldBy = hold.id;
        site.pendingWill = null;
        if (hold.started) holdPending(hold.id, ctx);
      }
    });
  }

  /** A storm began: the wills still waiting to count belong to it too. */
  function holdPending(id: string, ctx: EngineContext): void {
    for (const site of sites.values()) {
      if (site.pendingWill === null) continue;
      site.pendingWill = null;
      site.heldBy = id;
      ctx.dirty.add(site);
    }
  }

  function onSamples(siteId: string, samples: readonly HealthSample[], receivedMs: number): Step {
    return step((ctx) => {
      const site = ensure(siteId, ctx);
      heard(site, receivedMs, true, ctx);
      let newBattery = false;
      for (const s of [...samples].sort((a, b) => a.seq - b.seq)) {
        noteSample(site, s, receivedMs, ctx);
        if (site.last === null || s.seq > site.last.seq || s.bootId !== site.last.bootId) {
          site.last = {
            seq: s.seq,
            bootId: s.bootId,
            atMs: s.atMs,
            uptimeMs: s.uptimeMs,
            agentUptimeMs: s.agentUptimeMs,
            terminalUptimeMs: s.terminalUptimeMs,
            linkUp: s.linkUp,
            terminalDown: s.terminalDown,
            dishOutage: s.dishOutage,
            underVoltageNow: s.underVoltageNow,
            disconnectVolts: s.lowVoltageDisconnectVolts ?? site.last?.disconnectVolts ?? null,
          };
        }
        if (s.batteryVolts !== null) {
          addReading(site.battery, s.atMs, s.batteryVolts);
          newBattery = true;
        }
        noteQuality(site, s, config.degraded);
        noteClock(site, s);
      }
      if (isDecommissioned(site)) return;
      const degraded = site.offline === null ? judgeDegraded(site, receivedMs, config.degraded) : null;
      setCondition(site, 'degraded', degraded, receivedMs, ctx);
      if (newBattery) judgePowerNow(site, receivedMs, ctx);
      judgeData(site, receivedMs, ctx);
    });
  }

  function judgePowerNow(site: SiteHealth, nowMs: number, ctx: EngineContext): void {
    const newest = site.battery[site.battery.length - 1];
    const stale = newest === undefined || nowMs - newest[0] > config.power.trendWindowSec * 1000;
    setCondition(site, 'power_at_risk', stale ? null : judgePower(site, config.power, deps.sun), nowMs, ctx);
  }

  function tick(nowMs: number): Step {
    return step((ctx) => {
      const judge = judging(noc);
      const held = new Map<string, number>();
      const silent: SiteHealth[] = [];
      /** Not heard for a delivery interval (+ grace), not yet silent long enough to be offline. */
      const overdue: SiteHealth[] = [];
      let live = 0;
      for (const site of sites.values()) {
        if (isDecommissioned(site)) continue;
        if (site.heldBy !== null) {
          held.set(site.heldBy, (held.get(site.heldBy) ?? 0) + 1);
          continue;
        }
        const silentAfter = silenceAfterMs(site, ctx);
        if (site.lastHeardMs !== null && nowMs - site.lastHeardMs < silentAfter) live++;
        if (!judge) continue;
        if (site.pendingWill !== null && nowMs >= site.pendingWill.receivedMs + config.offline.willSettleSec * 1000) {
          site.pendingWill = null;
          if (site.offline === null) openEpisode(site, 'will', nowMs, ctx);
        }
        if (site.offline === null && site.pendingWill === null && site.lastHeardMs !== null) {
          const fromMs = Math.max(site.lastHeardMs, noc.watchFromMs, site.judgeFromMs ?? 0);
          if (nowMs - fromMs > silentAfter) silent.push(site);
          else if (nowMs - fromMs > overdueAfterMs(site, ctx)) overdue.push(site);
        }
        if (site.conditions.degraded !== undefined && judgeDegraded(site, nowMs, config.degraded) === null) {
          setCondition(site, 'degraded', null, nowMs, ctx);
        }
        // Judged as readings arrive; a pass only drops a judgement whose readings have gone stale.
        if (site.conditions.power_at_risk !== undefined) {
          const newest = site.battery[site.battery.length - 1];
          if (newest === undefined || nowMs - newest[0] > config.power.trendWindowSec * 1000) {
            setCondition(site, 'power_at_risk', null, nowMs, ctx);
          }
        }
      }
      // When the first sites pass their silence threshold, is most of the fleet late too? Then
      // the collector has stopped hearing (a hung broker), and the late ones are held with them.
      const holdId = silent.length === 0 ? null : holdSilences(noc, silent.length + overdue.length, nowMs, ctx);
      if (holdId === null) for (const site of silent) openEpisode(site, 'silence', nowMs, ctx);
      else {
        for (const site of [...silent, ...overdue]) {
          site.heldBy = holdId;
          ctx.dirty.add(site);
        }
      }
      noc.liveSites = live;
      const released = new Set(nocTick(noc, nowMs, held, ctx));
      if (released.size === 0) return;
      for (const site of sites.values()) {
        if (site.heldBy === null || !released.has(site.heldBy)) continue;
        site.heldBy = null;
        site.judgeFromMs = nowMs;
        ctx.dirty.add(site);
      }
    });
  }

  return {
    /**
     * Loads saved state and the registry, then starts watching (a collector start). With
     * `handoverWithinMs` (only where several collectors take turns), a state saved that recently was
     * another evaluator's, handed over (see `nocHandedOver`), not a restart's.
     */
    start(
      snapshot: HealthSnapshot,
      records: readonly RegisteredSite[],
      nowMs: number,
      handoverWithinMs: number | null = null,
    ): Step {
      sites.clear();
      registry.clear();
      for (const r of records) registry.set(r.siteId, r);
      for (const s of snapshot.sites) {
        applyRegistration(s, registry.get(s.siteId) ?? null, defaults);
        sites.set(s.siteId, s);
      }
      noc = snapshot.noc ?? newNocState(nowMs);
      return step((ctx) => {
        for (const r of records) ensure(r.siteId, ctx);
        // Decommissioned while no evaluator ran: what it still had open ends now.
        for (const site of sites.values()) if (isDecommissioned(site)) retireSite(site, nowMs, ctx);
        const saved = snapshot.savedAtMs;
        // Without a handover window every start is a restart, even one in the very instant of the last save.
        const handedOver = handoverWithinMs !== null && saved !== null && nowMs - saved <= handoverWithinMs;
        if (snapshot.noc !== null && handedOver) nocHandedOver(noc);
        else nocStarted(noc, nowMs, saved, ctx);
      });
    },
    /**
     * A site was registered, changed, decommissioned (its record marked) or recommissioned (the
     * mark gone), or removed (`null`).
     */
    register(siteId: string, record: RegisteredSite | null, nowMs: number): Step {
      if (record === null) registry.delete(siteId);
      else registry.set(siteId, record);
      return step((ctx) => {
        const site = ensure(siteId, ctx);
        const wasDecommissioned = isDecommissioned(site);
        applyRegistration(site, record, defaults);
        ctx.dirty.add(site);
        if (isDecommissioned(site)) {
          retireSite(site, nowMs, ctx);
          return;
        }
        // Back in service: its silence counts from now, not from before it was taken out.
        if (wasDecommissioned) site.judgeFromMs = nowMs;
        judgeData(site, nowMs, ctx);
      });
    },
    onStatus,
    onSamples,
    onBroker(up: boolean, atMs: number): Step {
      return step((ctx) => {
        nocBroker(noc, up, atMs, ctx);
        // A broker that stops publishes every client's will before it closes the collector's
        // connection too: wills still settling when the connection drops belong to that stop.
        if (!up && noc.grace !== null) holdPending(noc.grace.id, ctx);
      });
    },
    tick,
    /** The daily judgement of use and completeness (see `judgeUsage`). */
    applyUsage(judgements: ReadonlyMap<string, UsageJudgement>, nowMs: number): Step {
      return step((ctx) => {
        for (const [siteId, j] of judgements) {
          const site = sites.get(siteId);
          if (site === undefined || isDecommissioned(site)) continue;
          site.usage = { underused: j.underused, samplesMissing: j.samplesMissing };
          ctx.dirty.add(site);
          setCondition(site, 'underused', j.underused, nowMs, ctx);
          judgeData(site, nowMs, ctx);
        }
      });
    },
    site: (siteId: string): SiteHealth | undefined => sites.get(siteId),
    sites: (): IterableIterator<SiteHealth> => sites.values(),
    noc: (): NocState => noc,
  };
}
export type HealthEngine = ReturnType<typeof createHealthEngine>;
