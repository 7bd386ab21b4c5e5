import type { NocCause } from './changes.js';
import type { EngineContext } from './context.js';

/**
 * The NOC's own faults, which must not read as every site's outage:
 * - a collector (re)start has heard nobody yet: silence counts from the start, and wills that
 *   arrive in the first `startupGraceSec` are not trusted;
 * - while the collector's broker connection is down nothing is judged; after it returns, silence
 *   counts from then and wills are not trusted for `reconnectGraceSec`;
 * - a broker restart publishes every client's will at once (docs/protocol.md): wills from at least
 *   `stormMinSites` and `stormMinShare` of the live sites within `stormWindowSec` are one NOC-side
 *   incident, and those sites are judged by their silence once it is over;
 * - so are that many sites falling silent in one pass without wills (a hung broker, a broken
 *   subscription): the collector has stopped hearing, the sites have not all failed.
 */
export interface NocState {
  brokerUp: boolean;
  /** Silence is counted from here at the earliest. */
  watchFromMs: number;
  /** Wills received before this are not trusted. */
  graceUntilMs: number;
  grace: { id: string; cause: NocCause; sinceMs: number } | null;
  storm: { id: string; cause: 'mass_disconnect' | 'mass_silence'; sinceMs: number; sites: number } | null;
  /** Receipt times of recent wills (storm detection), oldest first. */
  recentWillsMs: number[];
  /** Sites heard recently, from the last evaluation pass. */
  liveSites: number;
}

export function newNocState(nowMs: number): NocState {
  return {
    brokerUp: true,
    watchFromMs: nowMs,
    graceUntilMs: nowMs,
    grace: null,
    storm: null,
    recentWillsMs: [],
    liveSites: 0,
  };
}

/** The collector started; `lastActiveMs` is when it last saved its state (null: first start ever). */
export function nocStarted(noc: NocState, nowMs: number, lastActiveMs: number | null, ctx: EngineContext): void {
  noc.watchFromMs = nowMs;
  noc.graceUntilMs = nowMs + ctx.config.noc.startupGraceSec * 1000;
  noc.recentWillsMs = [];
  noc.brokerUp = true;
  if (lastActiveMs === null) return;
  openGrace(noc, 'collector_restart', nowMs, { notWatchingFromMs: lastActiveMs }, ctx);
}

/**
 * Another collector evaluated until moments ago, and this one goes on from its saved state and
 * from what every collector stored meanwhile (docs/scaling.md, "One health evaluator"): nobody
 * stopped hearing the sites, so the saved watch and grace stand and no restart grace opens. Its
 * own broker connection is taken as up until it says otherwise.
 */
export function nocHandedOver(noc: NocState): void {
  noc.brokerUp = true;
}

export function nocBroker(noc: NocState, up: boolean, atMs: number, ctx: EngineContext): void {
  if (up === noc.brokerUp) return;
  noc.brokerUp = up;
  if (!up) {
    if (noc.grace !== null) closeGrace(noc, atMs, ctx);
    openGrace(noc, 'broker_connection_lost', atMs, {}, ctx);
    noc.graceUntilMs = Number.POSITIVE_INFINITY;
    return;
  }
  noc.watchFromMs = atMs;
  noc.graceUntilMs = atMs + ctx.config.noc.reconnectGraceSec * 1000;
}

/** Whether a will received now is to be held, and by which incident; may start a storm. */
export function holdWill(
  noc: NocState,
  receivedMs: number,
  ctx: EngineContext,
): { id: string; started: boolean } | null {
  if (noc.grace !== null && receivedMs < noc.graceUntilMs) return { id: noc.grace.id, started: false };
  if (noc.storm !== null) {
    noc.storm.sites++;
    return { id: noc.storm.id, started: false };
  }
  const { stormWindowSec, stormMinSites, stormMinShare } = ctx.config.noc;
  const wills = noc.recentWillsMs;
  wills.push(receivedMs);
  const fromMs = receivedMs - stormWindowSec * 1000;
  let drop = 0;
  while (drop < wills.length && (wills[drop] ?? 0) < fromMs) drop++;
  if (drop > 0) wills.splice(0, drop);
  if (wills.length < stormMinSites || wills.length < stormMinShare * noc.liveSites) return null;
  noc.recentWillsMs = [];
  return {
    id: startStorm(noc, 'mass_disconnect', wills[0] ?? receivedMs, receivedMs, wills.length, ctx),
    started: true,
  };
}

/** Whether sites found silent in one pass are to be held, and by which incident; may start a storm. */
export function holdSilences(noc: NocState, count: number, nowMs: number, ctx: EngineContext): string | null {
  if (count === 0) return null;
  if (noc.storm !== null) {
    noc.storm.sites += count;
    return noc.storm.id;
  }
  const { stormMinSites, stormMinShare } = ctx.config.noc;
  if (count < stormMinSites || count < stormMinShare * noc.liveSites) return null;
  return startStorm(noc, 'mass_silence', nowMs, nowMs, count, ctx);
}

function startStorm(
  noc: NocState,
  cause: 'mass_disconnect' | 'mass_silence',
  sinceMs: number,
  atMs: number,
  sites: number,
  ctx: EngineContext,
): string {
  const id = ctx.newId(`noc/${cause}`);
  noc.storm = { id, cause, sinceMs, sites };
  ctx.out.push({ type: 'noc', id, cause, active: true, atMs, sinceMs, values: { sites, liveSites: noc.liveSites } });
  return id;
}

/**
 * Ends what is over: a grace period that has run out, a storm most of whose sites are back. Returns
 * the incident ids whose held sites are to be judged again (by silence, from now).
 */
export function nocTick(
  noc: NocState,
  nowMs: number,
  heldBy: ReadonlyMap<string, number>,
  ctx: EngineContext,
): string[] {
  const released: string[] = [];
  if (noc.grace !== null && noc.brokerUp && nowMs >= noc.graceUntilMs) {
    released.push(noc.grace.id);
    closeGrace(noc, nowMs, ctx);
  }
  const storm = noc.storm;
  if (storm !== null) {
    const stillHeld = heldBy.get(storm.id) ?? 0;
    const { reconnectGraceSec, stormMinSites, stormMaxHoldSec } = ctx.config.noc;
    const settled = nowMs >= storm.sinceMs + reconnectGraceSec * 1000;
    // Sites silent this long are judged on their own even if many: a real regional outage may hide here.
    const overdue = nowMs >= storm.sinceMs + stormMaxHoldSec * 1000;
    if ((settled && stillHeld < stormMinSites) || overdue) {
      released.push(storm.id);
      noc.storm = null;
      ctx.out.push({
        type: 'noc',
        id: storm.id,
        cause: storm.cause,
        active: false,
        atMs: nowMs,
        sinceMs: storm.sinceMs,
        values: { sites: storm.sites, stillSilent: stillHeld },
      });
    }
  }
  return released;
}

/** May the sites' silences be judged now? Not while the collector cannot hear them. */
export function judging(noc: NocState): boolean {
  return noc.brokerUp;
}

function openGrace(
  noc: NocState,
  cause: NocCause,
  atMs: number,
  values: Record<string, number | string>,
  ctx: EngineContext,
): void {
  const id = ctx.newId(`noc/${cause}`);
  noc.grace = { id, cause, sinceMs: atMs };
  ctx.out.push({ type: 'noc', id, cause, active: true, atMs, sinceMs: atMs, values });
}

function closeGrace(noc: NocState, atMs: number, ctx: EngineContext): void {
  const grace = noc.grace;
  if (grace === null) return;
  noc.grace = null;
  ctx.out.push({
    type: 'noc',
    id: grace.id,
    cause: grace.cause,
    active: false,
    atMs,
    sinceMs: grace.sinceMs,
    values: {},
  });
}
