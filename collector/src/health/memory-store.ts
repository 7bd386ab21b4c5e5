import type { IncidentRecord } from '../alerts/alert-record.js';
import type { Maintenance, Silence } from '../alerts/controls.js';
import type { OutboxItem, SinkName } from '../alerts/notification.js';
import type {
  AckRequest,
  AlertOutbox,
  ControlsStore,
  HealthCommit,
  HealthRetention,
  HealthSnapshotData,
  HealthStateStore,
  Transition,
} from './ports.js';

/** Copies through JSON, as a database would: nothing held by the caller is shared with the store. */
function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

interface Parked extends OutboxItem {
  readonly givenUp: boolean;
}

/**
 * The health store roles in memory, for tests and until the SQLite and PostgreSQL stores implement
 * them. It survives a "restart" of everything built on it: a new service over the same object.
 */
export function createMemoryHealthStore(): HealthStateStore &
  AlertOutbox &
  ControlsStore &
  HealthRetention & { readonly givenUp: () => OutboxItem[] } {
  const sites = new Map<string, string>();
  const alerts = new Map<string, string>();
  const incidents = new Map<string, string>();
  const transitions: Transition[] = [];
  const outbox: Parked[] = [];
  let noc: string | null = null;
  let savedAtMs: number | null = null;
  const silences = new Map<string, Silence>();
  const windows = new Map<string, Maintenance>();
  const acks = new Map<string, AckRequest>();

  const find = (sink: SinkName, id: string) =>
    outbox.findIndex((i) => i.sink === sink && i.notification.id === id && !i.givenUp);

  return {
    async load(): Promise<HealthSnapshotData> {
      return {
        sites: [...sites.values()].map((s) => JSON.parse(s)),
        noc: noc === null ? null : JSON.parse(noc),
        alerts: [...alerts.values()].map((a) => JSON.parse(a)),
        openIncidents: [...incidents.values()]
          .map((i) => JSON.parse(i) as IncidentRecord)
          .filter((i) => i.endsAtMs === null),
        savedAtMs,
      };
    },
    async commit(change: HealthCommit) {
      for (const s of change.sites) sites.set(s.siteId, JSON.stringify(s));
      for (const a of change.alerts) alerts.set(a.key, JSON.stringify(a));
      // Ended incidents are kept for the record, as the databases keep them, until retention.
      for (const i of change.incidents) incidents.set(i.id, JSON.stringify(i));
      transitions.push(...clone(change.transitions));
      for (const item of clone(change.outbox)) {
        // The same decision saved twice is kept once, as the databases' unique (sink, id) does.
        if (outbox.some((o) => o.sink === item.sink && o.notification.id === item.notification.id)) continue;
        outbox.push({ ...item, givenUp: false });
      }
      noc = JSON.stringify(change.noc);
      savedAtMs = change.savedAtMs;
    },
    async history(siteId, fromMs, toMs) {
      return transitions.filter((t) => t.siteId === siteId && t.atMs >= fromMs && t.atMs < toMs).map(clone);
    },
    async due(sink, nowMs, limit) {
      const blocked = new Set<string>();
      const due: OutboxItem[] = [];
      for (const item of outbox) {
        if (item.sink !== sink || item.givenUp) continue;
        const key = item.notification.key;
        if (blocked.has(key)) continue;
        blocked.add(key);
        const { givenUp: _parked, ...waiting } = item;
        if (item.nextAttemptMs <= nowMs) due.push(clone(waiting));
        if (due.length >= limit) break;
      }
      return due;
    },
    async delivered(sink, id) {
      const i = find(sink, id);
      if (i >= 0) outbox.splice(i, 1);
    },
    async retryLater(sink, id, nextAttemptMs, error) {
      const i = find(sink, id);
      const item = outbox[i];
      if (item !== undefined) outbox[i] = { ...item, attempts: item.attempts + 1, nextAttemptMs, lastError: error };
    },
    async giveUp(sink, id, error) {
      const i = find(sink, id);
      const item = outbox[i];
      if (item !== undefined) outbox[i] = { ...item, attempts: item.attempts + 1, lastError: error, givenUp: true };
    },
    async waiting(sink) {
      return outbox.filter((i) => i.sink === sink && !i.givenUp).length;
    },
    givenUp: () => outbox.filter((i) => i.givenUp).map(clone),
    async silences() {
      return [...silences.values()].map(clone);
    },
    async maintenance() {
      return [...windows.values()].map(clone);
    },
    async putSilence(silence) {
      silences.set(silence.id, clone(silence));
    },
    async putMaintenance(window) {
      windows.set(window.id, clone(window));
    },
    async end(id, atMs) {
      const s = silences.get(id) ?? windows.get(id);
      if (s === undefined) return false;
      s.endsMs = Math.min(s.endsMs, atMs);
      return true;
    },
    async requestAck(ack) {
      acks.set(ack.key, clone(ack));
    },
    async pendingAcks() {
      return [...acks.values()].sort((a, b) => a.requestedMs - b.requestedMs || a.key.localeCompare(b.key)).map(clone);
    },
    async ackApplied(ack) {
      if (acks.get(ack.key)?.requestedMs === ack.requestedMs) acks.delete(ack.key);
    },
    async pruneHealth({ historyBeforeMs, outboxBeforeMs }) {
      const kept = transitions.filter(
        (t, i) => t.atMs >= historyBeforeMs || (t.event === 'began' && t.siteId !== null && stillOpen(t, i)),
      );
      const pruned = transitions.length - kept.length;
      transitions.splice(0, transitions.length, ...kept);
      let controls = 0;
      for (const map of [silences, windows] as const) {
        for (const [id, c] of map) {
          if (c.endsMs >= historyBeforeMs) continue;
          map.delete(id);
          controls++;
        }
      }
      let ended = 0;
      for (const [id, json] of incidents) {
        const endsAtMs = (JSON.parse(json) as IncidentRecord).endsAtMs;
        if (endsAtMs === null || endsAtMs >= historyBeforeMs) continue;
        incidents.delete(id);
        ended++;
      }
      const before = outbox.length;
      outbox.splice(0, outbox.length, ...outbox.filter((o) => o.notification.createdMs >= outboxBeforeMs));
      return { transitions: pruned, incidents: ended, controls, outbox: before - outbox.length };
    },
  };

  /** No line after the i-th says its state ended. */
  function stillOpen(began: Transition, i: number): boolean {
    return !transitions.some(
      (t, j) => j > i && t.siteId === began.siteId && t.kind === began.kind && t.event === 'ended',
    );
  }
}
