import type { AlertKind } from '@pantau/shared';
import { type EngineContext, setCondition } from './context.js';
import type { SiteHealth } from './site-state.js';

/**
 * Takes a decommissioned site out of judgement: every condition it holds ends with the reason
 * `decommissioned` (its alerts are resolved at once, saying why), an open outage is closed, and
 * nothing waits to be judged (a will, a hold by a NOC incident, the usage judgement). Its evidence
 * stays, should it be recommissioned. Returns whether anything was open.
 */
export function retireSite(site: SiteHealth, atMs: number, ctx: EngineContext): boolean {
  const kinds = Object.keys(site.conditions) as AlertKind[];
  const open =
    kinds.length > 0 ||
    site.offline !== null ||
    site.lastEpisode !== null ||
    site.pendingWill !== null ||
    site.heldBy !== null ||
    site.usage.underused !== null ||
    site.usage.samplesMissing !== null;
  if (!open) return false;
  if (site.offline !== null) site.offline.endMs = atMs;
  // No later sample may revise an outage the NOC has been told is over.
  site.offline = null;
  site.lastEpisode = null;
  site.pendingWill = null;
  site.heldBy = null;
  site.usage = { underused: null, samplesMissing: null };
  for (const kind of kinds) setCondition(site, kind, null, atMs, ctx, 'decommissioned');
  ctx.dirty.add(site);
  return true;
}
