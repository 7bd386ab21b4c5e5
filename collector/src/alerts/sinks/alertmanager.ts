import type { AlertCause } from '@pantau/shared';
import { severityOf } from '../alert-record.js';
import type { Notification } from '../notification.js';
import { type AlertSink, type HttpPoster, postSafely, type SendResult } from './sink.js';

/** Alertmanager v2's PostableAlert. */
export interface PostableAlert {
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly startsAt: string;
  readonly endsAt?: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * An alert's labels are its identity in Alertmanager and what a NOC routes on: site, kabupaten,
 * kecamatan, kind, cause, severity. A firing alert is sent without `endsAt` (Alertmanager keeps it
 * for its resolve_timeout, so it is posted again while it fires); a resolved one with `endsAt`.
 */
export function toPostable(n: Notification, language: 'en' | 'id', nowMs: number): PostableAlert[] {
  const summary = n.alert?.summary ?? n.incident?.summary ?? '';
  const annotations = {
    summary: n.texts?.[language] ?? summary,
    summary_en: n.texts?.en ?? summary,
    summary_id: n.texts?.id ?? summary,
  };
  if (n.alert !== null) {
    const a = n.alert;
    const labels = (cause: AlertCause | null) => ({
      alertname: `pantau_${a.kind}`,
      site: a.siteId,
      kabupaten: a.region?.kabupaten ?? 'unregistered',
      kecamatan: a.region?.kecamatan ?? 'unregistered',
      kabupaten_code: a.region?.kabupatenCode ?? '',
      kecamatan_code: a.region?.kecamatanCode ?? '',
      kind: a.kind,
      cause: cause ?? 'unknown',
      severity: severityOf(a.kind, cause ?? 'unknown'),
    });
    const alert: PostableAlert = {
      labels: labels(a.cause),
      annotations: { ...annotations, detail: a.detail ?? '', first_cause: a.firstCause ?? '' },
      startsAt: iso(a.startsAtMs),
      ...(a.state === 'resolved' ? { endsAt: iso(a.endsAtMs ?? nowMs) } : {}),
    };
    // Labels changed with the cause: end the alert under its old labels, or it would linger.
    if (n.previousCause !== null && n.previousCause !== a.cause) {
      const old = { labels: labels(n.previousCause), annotations, startsAt: iso(a.startsAtMs), endsAt: iso(nowMs) };
      return [old, alert];
    }
    return [alert];
  }
  if (n.incident !== null) {
    const i = n.incident;
    return [
      {
        labels: {
          alertname: i.kind === 'noc' ? 'pantau_noc' : 'pantau_area_offline',
          incident: i.id,
          scope: i.scope,
          area: i.areaName ?? 'noc',
          area_code: i.areaCode ?? '',
          kind: i.kind,
          cause: i.cause,
          severity: i.severity,
        },
        annotations: {
          ...annotations,
          sites: i.sites
            .map((s) => s.siteId)
            .join(', ')
            .slice(0, 4000),
        },
        startsAt: iso(i.startsAtMs),
        ...(i.state === 'resolved' ? { endsAt: iso(i.endsAtMs ?? nowMs) } : {}),
      },
    ];
  }
  return [];
}

/** A fleet's firing alerts are posted in parts: a request stays well under Alertmanager's body limits. */
export const MAX_ALERTS_PER_POST = 500;

export function createAlertmanagerSink(options: {
  readonly url: string;
  readonly timeoutMs: number;
  readonly language: 'en' | 'id';
  readonly poster: HttpPoster;
  readonly nowMs: () => number;
}): AlertSink & { post(list: readonly Notification[]): Promise<SendResult> } {
  const endpoint = `${options.url.replace(/\/+$/, '')}/api/v2/alerts`;
  /** Posts in requests of at most `MAX_ALERTS_PER_POST`; the first failure is the answer. */
  const post = async (list: readonly Notification[]) => {
    const alerts = list.flatMap((n) => toPostable(n, options.language, options.nowMs()));
    for (let i = 0; i < alerts.length; i += MAX_ALERTS_PER_POST) {
      const body = JSON.stringify(alerts.slice(i, i + MAX_ALERTS_PER_POST));
      const result = await postSafely(
        options.poster,
        endpoint,
        body,
        { 'content-type': 'application/json' },
        options.timeoutMs,
      );
      if (!result.ok) return result;
    }
    return { ok: true } as const;
  };
  return {
    name: 'alertmanager',
    send: (n) => post([n]),
    post,
  };
}
