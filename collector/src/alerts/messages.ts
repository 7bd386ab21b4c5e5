import { type Alert, type Incident, PROTOCOL_VERSION } from '@pantau/shared';
import type { HealthConfig } from '../health/config.js';
import type { Language, MessageKey } from '../i18n/catalogue.js';
import { messageKey } from '../i18n/catalogue.js';
import type { SiteRecord } from '../registry/site-record.js';
import type { AlertRecord, IncidentRecord } from './alert-record.js';
import { severityOf } from './alert-record.js';
import { bothLanguages, formatDuration, formatTime, inLanguages, word } from './texts.js';

export type Texts = { readonly en: string; readonly id: string };
export type AlertEvent = 'firing' | 'resolved' | 'flapping' | 'revised' | 'reminder';
export type IncidentEvent = 'firing' | 'update' | 'resolved';

type AlertsConfig = HealthConfig['alerts'];

export function siteLabel(siteId: string, site: SiteRecord | null): string {
  return site === null ? siteId : `${site.name} (${siteId})`;
}

/** The alert message for the MQTT topic, the webhook and Alertmanager. */
export function buildAlert(
  record: AlertRecord,
  site: SiteRecord | null,
  state: 'firing' | 'resolved',
  summary: string,
  nowMs: number,
  suppressed: Alert['suppressed'],
): Alert {
  return {
    v: PROTOCOL_VERSION,
    siteId: record.siteId,
    kind: record.kind,
    state,
    severity: severityOf(record.kind, record.cause),
    cause: record.cause,
    summary,
    startsAtMs: record.sinceMs,
    endsAtMs: state === 'resolved' ? (record.endsAtMs ?? nowMs) : null,
    atMs: nowMs,
    firstCause: record.firstCause,
    detail: record.detail === '' ? null : record.detail.slice(0, 48),
    incidentId: record.incidentId,
    flapping: record.flapping,
    acknowledgedBy: record.ackBy,
    suppressed,
    region:
      site === null
        ? null
        : {
            kabupatenCode: site.kabupatenCode,
            kabupaten: site.kabupaten,
            kecamatanCode: site.kecamatanCode,
            kecamatan: site.kecamatan,
          },
  };
}

/** An alert's text in the given languages (both by default), for one event. */
export function alertTexts(
  record: AlertRecord,
  site: SiteRecord | null,
  event: AlertEvent,
  nowMs: number,
  config: AlertsConfig,
  windowDays: number,
  languages: readonly Language[] = ['en', 'id'],
): Partial<Texts> {
  if (event === 'reminder') {
    const inner = alertTexts(record, site, 'firing', nowMs, config, windowDays, languages);
    return inLanguages(languages, 'reminder', (l) => ({ text: inner[l] ?? '' }));
  }
  const key = textKey(record, event);
  // Worked out by name, so a text pays only for the figures it shows.
  return inLanguages(languages, key, (l) => (name: string) => {
    switch (name) {
      case 'site':
        return siteLabel(record.siteId, site);
      case 'since':
        return formatTime(record.sinceMs, config.timeZone);
      case 'duration':
        return formatDuration((record.endsAtMs ?? nowMs) - record.sinceMs, l);
      case 'cause':
      case 'to':
        return word(l, `cause.${record.cause}`);
      case 'detail':
        return word(l, `detail.${record.detail}`);
      case 'from':
        return word(l, `cause.${record.firstCause ?? record.cause}`);
      case 'kind':
        return word(l, `kind.${record.kind}`);
      case 'days':
        return windowDays;
      case 'changes':
        return record.changesMs.length;
      case 'windowMin':
        return Math.round(config.flap.windowSec / 60);
      case 'reach':
      case 'sunrise': {
        const ms = record.values[`${name}Ms`];
        return typeof ms === 'number' ? formatTime(ms, config.timeZone) : undefined;
      }
      case 'problems':
        return String(record.values.problems ?? record.cause)
          .split(',')
          .map((p) => word(l, `cause.${p}`))
          .join(', ');
      default:
        return record.values[name];
    }
  });
}

function textKey(record: AlertRecord, event: Exclude<AlertEvent, 'reminder'>): MessageKey {
  if (event === 'flapping') return 'flapping';
  if (event === 'revised' && record.kind === 'offline') return 'offline.revised';
  if (event === 'revised') return textKey(record, 'firing');
  if (event === 'resolved' && record.endedBy === 'decommissioned') return 'decommissioned.resolved';
  const specific = messageKey(`${record.kind}.${event}.${record.cause}`);
  if (specific !== null) return specific;
  return messageKey(`${record.kind}.${event}`) ?? 'offline.firing';
}

const MAX_NAMED_SITES = 20;

export function buildIncident(
  incident: IncidentRecord,
  state: 'firing' | 'resolved',
  summary: string,
  nowMs: number,
): Incident {
  return {
    v: PROTOCOL_VERSION,
    id: incident.id,
    kind: incident.kind,
    scope: incident.scope,
    areaCode: incident.areaCode,
    areaName: incident.areaName,
    state,
    severity: incident.kind === 'noc' && incident.cause === 'collector_restart' ? 'info' : 'critical',
    cause: incident.cause,
    sites: incident.members.map((m) => ({ siteId: m.siteId, sinceMs: m.sinceMs, recoveredAtMs: m.recoveredAtMs })),
    summary,
    startsAtMs: incident.startsAtMs,
    endsAtMs: state === 'resolved' ? (incident.endsAtMs ?? nowMs) : null,
    atMs: nowMs,
  };
}

export function incidentTexts(
  incident: IncidentRecord,
  event: IncidentEvent,
  nowMs: number,
  config: AlertsConfig,
  names: (siteId: string) => string,
): Texts {
  const key: MessageKey =
    incident.kind === 'area_offline'
      ? event === 'update'
        ? 'incident.area.update'
        : event === 'firing'
          ? 'incident.area.firing'
          : 'incident.area.resolved'
      : (messageKey(`incident.noc.${incident.cause}.${event === 'resolved' ? 'resolved' : 'firing'}`) ??
        'incident.noc.mass_disconnect.firing');
  const listed = incident.members.slice(0, MAX_NAMED_SITES).map((m) => names(m.siteId));
  const more = incident.members.length - listed.length;
  return bothLanguages(key, (l: Language) => ({
    ...incident.values,
    count: incident.kind === 'noc' ? (incident.values.sites ?? incident.members.length) : incident.members.length,
    scope: word(l, `scope.${incident.scope}`),
    area: incident.areaName === null ? '' : `${incident.areaName} (${incident.areaCode})`,
    since: formatTime(incident.startsAtMs, config.timeZone),
    from:
      typeof incident.values.notWatchingFromMs === 'number'
        ? formatTime(incident.values.notWatchingFromMs, config.timeZone)
        : '?',
    to: formatTime(incident.startsAtMs, config.timeZone),
    duration: formatDuration(
      typeof incident.values.notWatchingFromMs === 'number'
        ? incident.startsAtMs - incident.values.notWatchingFromMs
        : (incident.endsAtMs ?? nowMs) - incident.startsAtMs,
      l,
    ),
    sites: more > 0 ? `${listed.join(', ')} (+${more})` : listed.join(', '),
  }));
}
