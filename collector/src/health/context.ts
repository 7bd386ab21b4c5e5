import type { AlertKind } from '@pantau/shared';
import type { EndReason, HealthChange } from './changes.js';
import type { HealthConfig } from './config.js';
import type { Condition, SiteHealth } from './site-state.js';

/** What the engine's parts share while handling one event. */
export interface EngineContext {
  readonly config: HealthConfig;
  /** Changes made by the event, in order. */
  readonly out: HealthChange[];
  /** Sites changed by the event (to persist). */
  readonly dirty: Set<SiteHealth>;
  inMaintenance(siteId: string, atMs: number): boolean;
  newId(prefix: string): string;
}

/**
 * Sets or clears one kind's condition; a change of activity, cause or detail is reported. A
 * `reason` says why a condition cleared without the site's data saying so (decommissioned).
 */
export function setCondition(
  site: SiteHealth,
  kind: AlertKind,
  next: Condition | null,
  atMs: number,
  ctx: EngineContext,
  reason?: EndReason,
): void {
  const current = site.conditions[kind];
  if (next === null) {
    if (current === undefined) return;
    delete site.conditions[kind];
    ctx.dirty.add(site);
    const ended = { type: 'condition', siteId: site.siteId, kind, active: false, atMs, ...rest(current) } as const;
    ctx.out.push(reason === undefined ? ended : { ...ended, reason });
    return;
  }
  if (current !== undefined && current.cause === next.cause && current.detail === next.detail) {
    // Same judgement: keep the first onset; figures change silently.
    site.conditions[kind] = { ...next, sinceMs: current.sinceMs };
    return;
  }
  const sinceMs = current?.sinceMs ?? next.sinceMs;
  site.conditions[kind] = { ...next, sinceMs };
  ctx.dirty.add(site);
  ctx.out.push({ type: 'condition', siteId: site.siteId, kind, active: true, atMs, ...rest({ ...next, sinceMs }) });
}

function rest(c: Condition) {
  return { sinceMs: c.sinceMs, cause: c.cause, detail: c.detail, values: c.values };
}
