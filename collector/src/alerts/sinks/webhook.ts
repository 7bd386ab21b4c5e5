import { createHmac, timingSafeEqual } from 'node:crypto';
import { PROTOCOL_VERSION } from '@pantau/shared';
import type { Notification } from '../notification.js';
import { type AlertSink, type HttpPoster, postSafely } from './sink.js';

export const SIGNATURE_HEADER = 'x-pantau-signature';
export const TIMESTAMP_HEADER = 'x-pantau-timestamp';
export const ID_HEADER = 'x-pantau-notification-id';

/** `sha256=<hex>` of HMAC-SHA256(secret, "<timestamp>.<body>"): the timestamp is signed too. */
export function signWebhook(secret: string, timestampMs: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestampMs}.${body}`).digest('hex')}`;
}

/** For receivers written in TypeScript: checks a signature in constant time. */
export function verifyWebhook(secret: string, timestampHeader: string, body: string, signature: string): boolean {
  const expected = Buffer.from(signWebhook(secret, Number(timestampHeader), body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** The JSON a webhook receives (docs/health.md, "Webhook"). */
export function webhookBody(n: Notification, language: 'en' | 'id'): string {
  return JSON.stringify({
    v: PROTOCOL_VERSION,
    id: n.id,
    type: n.incident === null ? 'alert' : 'incident',
    event: n.event,
    language,
    alert: n.alert,
    incident: n.incident,
    texts: n.texts,
  });
}

export function createWebhookSink(options: {
  readonly url: string;
  readonly secret: string;
  readonly timeoutMs: number;
  readonly language: 'en' | 'id';
  readonly poster: HttpPoster;
  readonly nowMs: () => number;
  readonly userAgent: string;
}): AlertSink {
  return {
    name: 'webhook',
    async send(n) {
      const body = webhookBody(n, options.language);
      const timestampMs = options.nowMs();
      return postSafely(
        options.poster,
        options.url,
        body,
        {
          'content-type': 'application/json',
          'user-agent': options.userAgent,
          [TIMESTAMP_HEADER]: String(timestampMs),
          [SIGNATURE_HEADER]: signWebhook(options.secret, timestampMs, body),
          [ID_HEADER]: n.id,
        },
        options.timeoutMs,
      );
    },
  };
}
