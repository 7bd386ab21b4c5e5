import type { HealthChange } from './changes.js';
import type { Transition } from './ports.js';

/** The history lines of a step's changes: the first view in `began`, each revision on its own line. */
export function transitionsOf(changes: readonly HealthChange[]): Transition[] {
  return changes.map((c): Transition => {
    switch (c.type) {
      case 'condition':
        return {
          siteId: c.siteId,
          kind: c.kind,
          event: c.active ? 'began' : 'ended',
          atMs: c.atMs,
          sinceMs: c.sinceMs,
          cause: c.cause,
          // An end the site's data did not bring says why it ended (decommissioned).
          detail: c.reason ?? c.detail,
          previousCause: null,
          previousDetail: null,
          episodeId: null,
        };
      case 'cause_revised':
        return {
          siteId: c.siteId,
          kind: c.kind,
          event: 'cause_revised',
          atMs: c.atMs,
          sinceMs: c.sinceMs,
          cause: c.to.cause,
          detail: c.to.detail,
          previousCause: c.from.cause,
          previousDetail: c.from.detail,
          episodeId: c.episodeId,
        };
      default:
        return {
          siteId: null,
          kind: 'noc',
          event: c.active ? 'began' : 'ended',
          atMs: c.atMs,
          sinceMs: c.sinceMs,
          cause: c.cause,
          detail: c.cause,
          previousCause: null,
          previousDetail: null,
          episodeId: c.id,
        };
    }
  });
}
