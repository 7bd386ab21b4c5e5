import {
  type AlertRecord,
  type HealthCommit,
  type IncidentRecord,
  type Notification,
  newAlertRecord,
  newNocState,
  newSiteHealth,
  type OutboxItem,
  type SinkName,
  type SiteHealth,
  type SiteRecord,
  type Transition,
} from '@pantau/collector';
import { afterEach, beforeEach } from 'vitest';

export const T0 = Date.UTC(2026, 10, 23, 8);

export function site(siteId: string, over: Partial<SiteRecord> = {}): SiteRecord {
  return {
    siteId,
    name: `Kantor Desa ${siteId}`,
    kabupatenCode: '64.08',
    kabupaten: 'Kutai Timur',
    kecamatanCode: '64.08.05',
    kecamatan: 'Sangatta Utara',
    desaCode: '64.08.05.2001',
    desa: 'Swarga Bara',
    group: 'village_office',
    latitude: 0.5132,
    longitude: 117.5421,
    lowVoltageDisconnectVolts: 11.5,
    sampleIntervalSec: null,
    deliveryIntervalSec: 300,
    ...over,
  };
}

export function siteHealth(siteId: string, lastHeardMs: number): SiteHealth {
  const s = newSiteHealth(siteId, { deliveryMs: 300_000, sampleMs: 60_000 });
  s.lastHeardMs = lastHeardMs;
  s.battery = [[lastHeardMs, 12.4]];
  return s;
}

export function alert(siteId: string, phase: AlertRecord['phase']): AlertRecord {
  return { ...newAlertRecord(siteId, 'offline', T0), phase, active: phase !== 'resolved', cause: 'power' };
}

export function incident(id: string, endsAtMs: number | null): IncidentRecord {
  return {
    id,
    kind: 'area_offline',
    scope: 'kecamatan',
    areaCode: '64.08.05',
    areaName: 'Sangatta Utara',
    cause: 'power',
    members: [{ siteId: 'a', sinceMs: T0, recoveredAtMs: null, notifiedAlone: false }],
    startsAtMs: T0,
    lastOnsetMs: T0,
    endsAtMs,
    values: {},
    notified: 'firing',
    notifiedMembers: 1,
  };
}

export function transition(
  siteId: string | null,
  event: Transition['event'],
  atMs: number,
  cause = 'unknown',
): Transition {
  return {
    siteId,
    kind: siteId === null ? 'noc' : 'offline',
    event,
    atMs,
    sinceMs: T0,
    cause,
    detail: event === 'cause_revised' ? 'link_down' : 'connection_lost',
    previousCause: event === 'cause_revised' ? 'unknown' : null,
    previousDetail: event === 'cause_revised' ? 'connection_lost' : null,
    episodeId: siteId === null ? null : `${siteId}/ep-1`,
  };
}

export function notification(id: string, key: string, createdMs = T0): Notification {
  return {
    id,
    key,
    createdMs,
    event: 'firing',
    alert: null,
    incident: null,
    texts: { en: `text of ${id}`, id: `teks ${id}` },
    previousCause: null,
  };
}

export function item(sink: SinkName, n: Notification, nextAttemptMs = n.createdMs): OutboxItem {
  return { sink, notification: n, attempts: 0, nextAttemptMs, lastError: null };
}

export function change(over: Partial<HealthCommit> = {}): HealthCommit {
  return {
    sites: [],
    noc: newNocState(T0),
    alerts: [],
    incidents: [],
    transitions: [],
    outbox: [],
    savedAtMs: T0,
    ...over,
  };
}

/** A fresh, empty store of a role for each test (given to `use`), closed after it. */
export function freshEachTest<S extends { close(): Promise<void> }>(open: () => Promise<S>, use: (s: S) => void): void {
  let current: S | undefined;
  beforeEach(async () => {
    current = await open();
    use(current);
  });
  afterEach(async () => {
    await current?.close();
  });
}
