import {
  alertKey,
  buildAlert,
  createAlertmanagerSink,
  createWebhookSink,
  type Notification,
  newAlertRecord,
  signWebhook,
  toPostable,
  verifyWebhook,
} from '@pantau/collector';
import { describe, expect, it } from 'vitest';
import { kutimSite } from './sim.js';

const STARTS = new Date(1_795_371_000_000).toISOString();
const NOW = new Date(1_795_371_300_000).toISOString();

function offlineNotification(cause: 'unknown' | 'link', state: 'firing' | 'resolved', previousCause: 'unknown' | null) {
  const record = { ...newAlertRecord('kutim-a', 'offline', 1_795_371_000_000), cause, detail: 'link_down' };
  const alert = buildAlert(record, kutimSite('kutim-a'), state, 'text', 1_795_371_300_000, null);
  const n: Notification = {
    id: 'n-1',
    key: alertKey('kutim-a', 'offline'),
    createdMs: 1_795_371_300_000,
    event: state,
    alert,
    incident: null,
    texts: { en: 'Desa kutim-a (kutim-a) offline', id: 'Desa kutim-a (kutim-a) offline' },
    previousCause,
  };
  return n;
}

describe('Alertmanager alerts', () => {
  it('carry labels a NOC routes on; a firing alert has no endsAt, a resolved one does', () => {
    const [firing] = toPostable(offlineNotification('unknown', 'firing', null), 'id', 1_795_371_300_000);
    expect(firing?.labels).toEqual({
      alertname: 'pantau_offline',
      site: 'kutim-a',
      kabupaten: 'Kutai Timur',
      kecamatan: 'Sangatta Utara',
      kabupaten_code: '64.08',
      kecamatan_code: '64.08.05',
      kind: 'offline',
      cause: 'unknown',
      severity: 'critical',
    });
    expect(firing?.endsAt).toBeUndefined();
    expect(firing?.startsAt).toBe(STARTS);
    const [resolved] = toPostable(offlineNotification('unknown', 'resolved', null), 'id', 1_795_371_300_000);
    expect(resolved?.endsAt).toBe(NOW);
  });

  it('end the alert under its old labels when the cause changes', () => {
    const list = toPostable(offlineNotification('link', 'resolved', 'unknown'), 'en', 1_795_371_300_000);
    expect(list.map((a) => [a.labels.cause, a.endsAt])).toEqual([
      ['unknown', NOW],
      ['link', NOW],
    ]);
  });
});

describe('webhook signature', () => {
  it('is HMAC-SHA256 over "<timestamp>.<body>", sent with the timestamp and the notification id', async () => {
    const sent: { headers: Record<string, string>; body: string }[] = [];
    const sink = createWebhookSink({
      url: 'http://127.0.0.1:1/hook',
      secret: 'a-secret-of-sixteen+',
      timeoutMs: 1000,
      language: 'id',
      nowMs: () => 1_795_371_300_000,
      userAgent: 'pantau-collector/test',
      poster: {
        post: async (_url, body, headers) => {
          sent.push({ body, headers: { ...headers } });
          return { status: 204, body: '' };
        },
      },
    });
    expect(await sink.send(offlineNotification('unknown', 'firing', null))).toEqual({ ok: true });
    const [request] = sent;
    if (request === undefined) throw new Error('nothing sent');
    expect(request.headers['x-pantau-timestamp']).toBe('1795371300000');
    expect(request.headers['x-pantau-notification-id']).toBe('n-1');
    expect(request.headers['x-pantau-signature']).toBe(
      signWebhook('a-secret-of-sixteen+', 1_795_371_300_000, request.body),
    );
    expect(
      verifyWebhook('a-secret-of-sixteen+', '1795371300000', request.body, request.headers['x-pantau-signature'] ?? ''),
    ).toBe(true);
    expect(
      verifyWebhook('another-secret-xyz', '1795371300000', request.body, request.headers['x-pantau-signature'] ?? ''),
    ).toBe(false);
    expect(JSON.parse(request.body)).toMatchObject({ v: 1, id: 'n-1', type: 'alert', event: 'firing', language: 'id' });
  });
});

describe('Alertmanager reposts', () => {
  it('post a fleet of firing alerts in parts of at most 500', async () => {
    const sizes: number[] = [];
    const sink = createAlertmanagerSink({
      url: 'http://127.0.0.1:1/',
      timeoutMs: 1000,
      language: 'en',
      nowMs: () => 1_795_371_300_000,
      poster: {
        post: async (url, body) => {
          expect(url).toBe('http://127.0.0.1:1/api/v2/alerts');
          sizes.push((JSON.parse(body) as unknown[]).length);
          return { status: 200, body: '' };
        },
      },
    });
    const list = Array.from({ length: 1201 }, () => offlineNotification('unknown', 'firing', null));
    expect(await sink.post(list)).toEqual({ ok: true });
    expect(sizes).toEqual([500, 500, 201]);
  });
});
