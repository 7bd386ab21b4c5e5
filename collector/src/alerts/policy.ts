import type { Alert, AlertCause } from '@pantau/shared';
import type { CauseRevision, ConditionChange, HealthChange } from '../health/changes.js';
import type { HealthConfig } from '../health/config.js';
import type { SiteRecord } from '../registry/site-record.js';
import { type AlertRecord, alertKey, type IncidentRecord, newAlertRecord } from './alert-record.js';
import type { Controls } from './controls.js';
import { createIncidentBook, type Out } from './incident-book.js';
import { type AlertEvent, alertTexts, buildAlert } from './messages.js';
import type { Notification } from './notification.js';

export interface PolicyDeps {
  readonly config: HealthConfig;
  readonly controls: Controls;
  readonly siteOf: (siteId: string) => SiteRecord | null;
  readonly newId: (prefix: string) => string;
}

/** What a policy step decided: records to persist, states to publish, notifications to send. */
export interface PolicyStep {
  readonly alerts: AlertRecord[];
  readonly incidents: IncidentRecord[];
  /** Alert states for the retained MQTT topic (every change, suppressed or not). */
  readonly publications: Notification[];
  /** For the webhook and Alertmanager. */
  readonly notifications: Notification[];
}

/**
 * Turns health changes into alerts without floods: tolerances on firing and recovery, flap
 * detection, silences, maintenance, acknowledgement, one incident for many sites of an area, and
 * NOC-side incidents. Every decision is in the records it persists, so a restart neither notifies
 * twice nor loses a transition.
 */
export function createAlertPolicy(deps: PolicyDeps) {
  const { config, controls } = deps;
  const alerts = config.alerts;
  const records = new Map<string, AlertRecord>();
  const busy = new Set<AlertRecord>();
  const incidents = createIncidentBook(deps);

  function run(fn: (out: Out) => void): PolicyStep {
    const out: Out = { alerts: new Set(), incidents: new Set(), publications: [], notifications: [] };
    fn(out);
    return {
      alerts: [...out.alerts],
      incidents: [...out.incidents],
      publications: out.publications,
      notifications: out.notifications,
    };
  }

  function areaOf(siteId: string) {
    const site = deps.siteOf(siteId);
    return { siteId, kecamatanCode: site?.kecamatanCode ?? null, kabupatenCode: site?.kabupatenCode ?? null };
  }

  function suppression(record: AlertRecord, nowMs: number): Alert['suppressed'] {
    return controls.suppression(areaOf(record.siteId), record.kind, nowMs);
  }

  function alertNotification(
    record: AlertRecord,
    event: AlertEvent | 'state',
    nowMs: number,
    previousCause: AlertCause | null = null,
  ): Notification {
    const site = deps.siteOf(record.siteId);
    const state = record.phase === 'firing' || record.phase === 'recovering' ? 'firing' : 'resolved';
    const textEvent: AlertEvent = event === 'state' ? (state === 'firing' ? 'firing' : 'resolved') : event;
    // A state publication carries one summary; people's notifications carry both languages.
    const languages = event === 'state' ? [alerts.language] : (['en', 'id'] as const);
    const texts = alertTexts(record, site, textEvent, nowMs, alerts, config.underused.windowDays, languages);
    const summary = texts[alerts.language] ?? record.key;
    return {
      id: deps.newId(`${record.key}/${event}`),
      key: record.key,
      createdMs: nowMs,
      event,
      alert: buildAlert(record, site, state, summary, nowMs, suppression(record, nowMs)),
      incident: null,
      texts: texts.en !== undefined && texts.id !== undefined ? { en: texts.en, id: texts.id } : null,
      previousCause,
    };
  }

  function publish(record: AlertRecord, nowMs: number, out: Out): void {
    record.published = record.phase === 'firing' || record.phase === 'recovering' ? 'firing' : 'resolved';
    out.publications.push(alertNotification(record, 'state', nowMs));
  }

  /** Sends a notification unless held: silence, maintenance, or an unregistered site being tracked. */
  function notify(record: AlertRecord, event: AlertEvent, nowMs: number, out: Out): boolean {
    if (suppression(record, nowMs) !== null) return false;
    if (alerts.unregisteredSites === 'track' && deps.siteOf(record.siteId) === null) return false;
    const told = record.notifiedCause;
    const previous = told !== null && told !== record.cause && record.notified !== 'resolved' ? told : null;
    out.notifications.push(alertNotification(record, event, nowMs, previous));
    if (event === 'firing' || event === 'flapping' || event === 'resolved') record.notified = event;
    record.notifiedMs = nowMs;
    record.notifiedCause = record.cause;
    return true;
  }

  function onCondition(change: ConditionChange, out: Out): void {
    const key = alertKey(change.siteId, change.kind);
    let record = records.get(key);
    if (record === undefined) {
      record = newAlertRecord(change.siteId, change.kind, change.atMs);
      records.set(key, record);
    }
    if (change.active !== record.active) record.changesMs.push(change.atMs);
    const wasActive = record.active;
    const previousCause = record.cause;
    record.active = change.active;
    record.values = { ...change.values };
    if (change.active) {
      if (!wasActive && record.phase === 'resolved') {
        Object.assign(record, {
          phase: 'pending',
          sinceMs: change.sinceMs,
          changedMs: change.atMs,
          endsAtMs: null,
          firstCause: null,
          incidentId: null,
          ackBy: null,
          ackMs: null,
          ackNote: null,
          notified: 'none',
          endedBy: null,
        });
      } else if (!wasActive && record.phase === 'recovering') {
        record.phase = 'firing';
        record.changedMs = change.atMs;
      }
      record.cause = change.cause;
      record.detail = change.detail;
      if (wasActive && previousCause !== change.cause && record.phase === 'firing') {
        if (record.kind === 'offline') record.firstCause ??= previousCause;
        publish(record, change.atMs, out);
        if (record.notified === 'firing' && !record.flapping) notify(record, 'revised', change.atMs, out);
      }
    } else if (change.reason === 'decommissioned') {
      endDecommissioned(record, change.atMs, out);
    } else if (record.phase === 'pending') {
      record.phase = 'resolved';
    } else if (record.phase === 'firing') {
      record.phase = 'recovering';
      record.changedMs = change.atMs;
    }
    if (change.kind === 'offline') incidents.noteOffline(record, change.active);
    busy.add(record);
    out.alerts.add(record);
  }

  /**
   * The site was decommissioned: its alert ends now, without the resolve tolerance (the site will
   * not come back to prove it), and the resolution says why. Nothing of it may flap later.
   */
  function endDecommissioned(record: AlertRecord, atMs: number, out: Out): void {
    record.endedBy = 'decommissioned';
    record.detail = 'decommissioned';
    record.changedMs = atMs;
    record.changesMs = [];
    record.flapping = false;
    if (record.phase === 'firing' || record.phase === 'recovering') resolve(record, atMs, out);
    else {
      record.phase = 'resolved';
      record.endsAtMs = atMs;
    }
  }

  function onRevision(change: CauseRevision, out: Out): void {
    const record = records.get(alertKey(change.siteId, 'offline'));
    if (record === undefined) return;
    const same = record.cause === change.to.cause && record.detail === change.to.detail;
    if (same && record.sinceMs === change.sinceMs) return;
    const previous = record.cause;
    record.firstCause ??= change.from.cause;
    record.cause = change.to.cause;
    record.detail = change.to.detail;
    record.sinceMs = change.sinceMs;
    out.alerts.add(record);
    if (record.phase === 'pending') return;
    publish(record, change.atMs, out);
    // While recovering, the resolution (soon) carries the new cause; otherwise tell it now.
    const told = record.notified === 'firing' || record.notified === 'resolved';
    if (told && !same && record.phase !== 'recovering' && record.incidentId === null && previous !== record.cause) {
      notify(record, 'revised', change.atMs, out);
    }
  }

  function fire(record: AlertRecord, nowMs: number, out: Out): void {
    record.phase = 'firing';
    const site = deps.siteOf(record.siteId);
    if (record.kind === 'offline' && site !== null && record.incidentId === null && record.cause !== 'planned') {
      const members = incidents.group(record, site, nowMs, out);
      // Members already firing publish their tie to the incident; pending ones will when they fire.
      for (const member of members ?? [])
        if (member !== record && member.phase === 'firing') publish(member, nowMs, out);
    }
    publish(record, nowMs, out);
    if (record.incidentId === null) notify(record, 'firing', nowMs, out);
  }

  function resolve(record: AlertRecord, nowMs: number, out: Out): void {
    record.phase = 'resolved';
    record.endsAtMs = record.changedMs;
    publish(record, nowMs, out);
    if (record.incidentId !== null) {
      if (incidents.memberResolved(record, nowMs, out)) notify(record, 'resolved', nowMs, out);
    } else if (record.notified === 'firing' || record.notified === 'flapping') {
      notify(record, 'resolved', nowMs, out);
    }
  }

  function tickRecord(record: AlertRecord, nowMs: number, out: Out): boolean {
    const tolerance = alerts.tolerance[record.kind];
    const flap = alerts.flap;
    while ((record.changesMs[0] ?? nowMs) < nowMs - flap.windowSec * 1000) record.changesMs.shift();
    const lastChangeMs = record.changesMs[record.changesMs.length - 1] ?? record.changedMs;
    if (!record.flapping && record.changesMs.length >= flap.changes) {
      record.flapping = true;
      out.alerts.add(record);
      if (record.phase === 'pending') record.phase = 'firing';
      publish(record, nowMs, out);
      notify(record, 'flapping', nowMs, out);
      return true;
    }
    if (record.flapping) {
      if (nowMs - lastChangeMs < flap.quietSec * 1000) return true;
      record.flapping = false;
      out.alerts.add(record);
      if (record.active) {
        record.phase = 'firing';
        publish(record, nowMs, out);
        if (record.notified !== 'firing') notify(record, 'firing', nowMs, out);
      } else {
        resolve(record, nowMs, out);
      }
      return record.active;
    }
    switch (record.phase) {
      case 'pending': {
        // The tolerance and the wait for an area's other sites run side by side: both ask about
        // the same seconds after the transition, and each second here adds to the detection time.
        const holdSec = Math.max(tolerance.fireAfterSec, record.kind === 'offline' ? alerts.grouping.waitSec : 0);
        if (nowMs - record.changedMs < holdSec * 1000) return true;
        fire(record, nowMs, out);
        out.alerts.add(record);
        return record.incidentId === null && (record.notified !== 'firing' || alerts.renotifySec > 0);
      }
      case 'recovering':
        if (nowMs - record.changedMs < tolerance.resolveAfterSec * 1000) return true;
        resolve(record, nowMs, out);
        out.alerts.add(record);
        return false;
      case 'firing': {
        if (record.incidentId !== null) return false;
        // Held before (silence, maintenance): sent once the hold is over.
        if (record.notified !== 'firing') {
          const sent = notify(record, 'firing', nowMs, out);
          if (sent) out.alerts.add(record);
          return !sent || alerts.renotifySec > 0;
        }
        if (
          alerts.renotifySec > 0 &&
          record.ackBy === null &&
          nowMs - (record.notifiedMs ?? nowMs) >= alerts.renotifySec * 1000
        ) {
          if (notify(record, 'reminder', nowMs, out)) out.alerts.add(record);
        }
        return alerts.renotifySec > 0;
      }
      default:
        return false;
    }
  }

  return {
    /** Restores persisted records (a collector start): nothing is notified again. */
    restore(saved: readonly AlertRecord[], open: readonly IncidentRecord[]): void {
      records.clear();
      busy.clear();
      for (const r of saved) {
        records.set(r.key, r);
        if (r.phase !== 'resolved' || r.flapping) busy.add(r);
      }
      incidents.restore(open, saved);
    },
    apply(changes: readonly HealthChange[]): PolicyStep {
      return run((out) => {
        for (const change of changes) {
          if (change.type === 'condition') onCondition(change, out);
          else if (change.type === 'cause_revised') onRevision(change, out);
          else incidents.onNoc(change, out);
        }
      });
    },
    tick(nowMs: number): PolicyStep {
      return run((out) => {
        for (const record of [...busy]) if (!tickRecord(record, nowMs, out)) busy.delete(record);
        incidents.tick(nowMs, out);
      });
    },
    acknowledge(key: string, by: string, note: string, nowMs: number): PolicyStep | null {
      const record = records.get(key);
      if (record === undefined || record.phase === 'resolved') return null;
      return run((out) => {
        record.ackBy = by;
        record.ackMs = nowMs;
        record.ackNote = note;
        out.alerts.add(record);
        publish(record, nowMs, out);
      });
    },
    /** Firing alerts and incidents as last notified (Alertmanager needs them posted again and again). */
    firing(nowMs: number): Notification[] {
      const list: Notification[] = [];
      for (const r of records.values()) {
        if (r.notified !== 'firing' && r.notified !== 'flapping') continue;
        if (r.phase === 'resolved' || r.incidentId !== null || suppression(r, nowMs) !== null) continue;
        list.push(alertNotification(r, 'firing', nowMs));
      }
      list.push(...incidents.firing(nowMs));
      return list;
    },
    record: (key: string): AlertRecord | undefined => records.get(key),
    records: (): IterableIterator<AlertRecord> => records.values(),
    incidents: (): IterableIterator<IncidentRecord> => incidents.all(),
  };
}
export type AlertPolicy = ReturnType<typeof createAlertPolicy>;
