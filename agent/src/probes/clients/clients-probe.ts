import type { Clock } from '../../clock.js';
import type { FailureLog } from '../failure-log.js';
import type { Probe } from '../probe.js';
import type { ClientSource } from './client-source.js';
import type { ClientTracker } from './client-tracker.js';

export type ClientsWarning = 'clients_dropped' | 'clients_skipped' | 'clients_partial';

export interface ClientsProbeDeps {
  readonly source: ClientSource;
  readonly tracker: ClientTracker;
  readonly clock: Clock;
  readonly failures: FailureLog;
  /** Says that identities were dropped at the cap, or rows skipped; never with an address. */
  readonly warn: (event: ClientsWarning, count: number, detail?: string) => void;
}

/**
 * Distinct client devices in the interval and the rolling hour. Only counts leave this module: the
 * identities are hashed by the tracker, and no log line carries an address.
 */
export function createClientsProbe(deps: ClientsProbeDeps): Probe<'clients'> {
  let droppedReported = 0;
  return {
    name: 'clients',
    async measure(signal) {
      const list = await deps.source.list(signal);
      if (!list.ok) {
        // The message names files and codes only; a library's message could hold an OID with an IP.
        deps.failures.failed(list.code, `clients source ${deps.source.kind} failed: ${list.code}`);
        return { source: deps.source.kind, clientsInterval: null, clientsHour: null, error: list.code };
      }
      deps.failures.succeeded();
      const counts = deps.tracker.observe(list.value.ids, deps.clock.monotonicMs());
      if (counts.dropped > droppedReported) {
        deps.warn('clients_dropped', counts.dropped - droppedReported);
        droppedReported = counts.dropped;
      }
      if (list.value.skipped > 0) deps.warn('clients_skipped', list.value.skipped);
      if (list.value.partial !== null) deps.warn('clients_partial', 1, list.value.partial);
      return { source: deps.source.kind, clientsInterval: counts.interval, clientsHour: counts.hour, error: null };
    },
  };
}
