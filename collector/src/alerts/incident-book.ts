import type { NocChange } from '../health/changes.js';
import type { HealthConfig } from '../health/config.js';
import type { SiteRecord } from '../registry/site-record.js';
import type { AlertRecord, IncidentRecord } from './alert-record.js';
import { type AreaIndex, groupOffline, indexOffline, newAreaIndex } from './incidents.js';
import { buildIncident, type IncidentEvent, incidentTexts, siteLabel } from './messages.js';
import type { Notification } from './notification.js';

/** What a policy step collects: records to persist, states to publish, notifications to send. */
export interface Out {
  readonly alerts: Set<AlertRecord>;
  readonly incidents: Set<IncidentRecord>;
  readonly publications: Notification[];
  readonly notifications: Notification[];
}

export interface IncidentBookDeps {
  readonly config: HealthConfig;
  readonly siteOf: (siteId: string) => SiteRecord | null;
  readonly newId: (prefix: string) => string;
}

/**
 * The open incidents: NOC-side ones (from the engine) and area ones (many sites of a kecamatan or
 * kabupaten offline together), with the index of active offline alerts by area they are built from.
 */
export function createIncidentBook(deps: IncidentBookDeps) {
  const alerts = deps.config.alerts;
  const incidents = new Map<string, IncidentRecord>();
  const index: AreaIndex = newAreaIndex();
  const names = (siteId: string) => siteLabel(siteId, deps.siteOf(siteId));

  function message(incident: IncidentRecord, event: IncidentEvent, nowMs: number, id: string): Notification {
    const texts = incidentTexts(incident, event, nowMs, alerts, names);
    const state = event === 'resolved' ? 'resolved' : 'firing';
    return {
      id,
      key: incident.id,
      createdMs: nowMs,
      event,
      alert: null,
      incident: buildIncident(incident, state, texts[alerts.language], nowMs),
      texts,
      previousCause: null,
    };
  }

  function notify(incident: IncidentRecord, event: IncidentEvent, nowMs: number, out: Out): void {
    out.notifications.push(message(incident, event, nowMs, deps.newId(`${incident.id}/${event}`)));
    incident.notified = event === 'resolved' ? 'resolved' : 'firing';
    incident.notifiedMembers = incident.members.length;
    incident.values.notifiedMs = nowMs;
    out.incidents.add(incident);
  }

  return {
    restore(open: readonly IncidentRecord[], saved: readonly AlertRecord[]): void {
      incidents.clear();
      for (const i of open) incidents.set(i.id, i);
      for (const r of saved) if (r.kind === 'offline' && r.active) indexOffline(index, r, deps.siteOf(r.siteId), true);
    },
    /** An offline alert began or ended: the area index follows. */
    noteOffline(record: AlertRecord, active: boolean): void {
      indexOffline(index, record, deps.siteOf(record.siteId), active);
    },
    onNoc(change: NocChange, out: Out): void {
      const incident = incidents.get(change.id);
      if (change.active && incident === undefined) {
        const opened: IncidentRecord = {
          id: change.id,
          kind: 'noc',
          scope: 'noc',
          areaCode: null,
          areaName: null,
          cause: change.cause,
          members: [],
          startsAtMs: change.sinceMs,
          lastOnsetMs: change.sinceMs,
          endsAtMs: null,
          values: { ...change.values },
          notified: 'none',
          notifiedMembers: 0,
        };
        incidents.set(opened.id, opened);
        notify(opened, 'firing', change.atMs, out);
      } else if (!change.active && incident !== undefined) {
        incident.values = { ...incident.values, ...change.values };
        incident.endsAtMs = change.atMs;
        notify(incident, 'resolved', change.atMs, out);
        incidents.delete(incident.id);
      }
    },
    /**
     * A site's offline alert fires: it joins or opens its area's incident when there is one to
     * form (then returns the alerts now tied to it, the firing one included), else null.
     */
    group(record: AlertRecord, site: SiteRecord, nowMs: number, out: Out): AlertRecord[] | null {
      const grouped = groupOffline(
        record,
        site,
        incidents.values(),
        index,
        nowMs,
        alerts.grouping,
        deps.newId,
        deps.siteOf,
      );
      if (grouped === null) return null;
      const { incident } = grouped;
      if (grouped.created) incidents.set(incident.id, incident);
      for (const member of grouped.members) {
        member.incidentId = incident.id;
        incident.members.push({
          siteId: member.siteId,
          sinceMs: member.sinceMs,
          recoveredAtMs: null,
          notifiedAlone: member.notified === 'firing',
        });
        incident.lastOnsetMs = Math.max(incident.lastOnsetMs, member.changedMs);
        out.alerts.add(member);
      }
      out.incidents.add(incident);
      if (grouped.created) notify(incident, 'firing', nowMs, out);
      return grouped.members;
    },
    /** A member's alert resolved; the incident ends with its last member. True: it was notified alone too. */
    memberResolved(record: AlertRecord, nowMs: number, out: Out): boolean {
      const incident = record.incidentId === null ? undefined : incidents.get(record.incidentId);
      if (incident === undefined) return false;
      const member = incident.members.find((m) => m.siteId === record.siteId);
      if (member !== undefined) member.recoveredAtMs = record.changedMs;
      out.incidents.add(incident);
      if (incident.members.every((m) => m.recoveredAtMs !== null)) {
        incident.endsAtMs = nowMs;
        if (incident.notified === 'firing') notify(incident, 'resolved', nowMs, out);
        incidents.delete(incident.id);
      }
      return member?.notifiedAlone === true;
    },
    /** Sites that joined an open incident are told together, at most every `grouping.updateSec`. */
    tick(nowMs: number, out: Out): void {
      const updateMs = alerts.grouping.updateSec * 1000;
      for (const incident of incidents.values()) {
        if (incident.kind !== 'area_offline' || incident.notified !== 'firing') continue;
        if (incident.members.length <= incident.notifiedMembers) continue;
        const lastMs = typeof incident.values.notifiedMs === 'number' ? incident.values.notifiedMs : 0;
        if (nowMs - lastMs >= updateMs) notify(incident, 'update', nowMs, out);
      }
    },
    /** Open incidents as last notified, for Alertmanager's repeated posting. */
    firing(nowMs: number): Notification[] {
      return [...incidents.values()]
        .filter((i) => i.notified === 'firing')
        .map((i) => message(i, 'firing', nowMs, `${i.id}/repost`));
    },
    all: (): IterableIterator<IncidentRecord> => incidents.values(),
  };
}
export type IncidentBook = ReturnType<typeof createIncidentBook>;
