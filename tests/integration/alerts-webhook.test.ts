import { createWebhookSink, fetchPoster, verifyWebhook } from '@pantau/collector';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';
import {
  type Harness,
  harness,
  kutimSite,
  MINUTE,
  runAgents,
  SimAgent,
  SimSite,
  START_MS,
} from '../unit/collector/health/sim.js';

const SECRET = 'noc-webhook-secret-2026';

interface Body {
  readonly id: string;
  readonly type: string;
  readonly event: string;
  readonly alert: { readonly siteId: string; readonly kind: string; readonly state: string } | null;
  readonly texts: { readonly en: string; readonly id: string };
}

describe('webhook notifications to a real HTTP receiver', () => {
  let receiver: WebhookReceiver | null = null;
  afterEach(async () => {
    await receiver?.close();
    receiver = null;
  });

  const options = (url: string) => ({
    config: { delivery: { retryMinMs: 1000, retryMaxMs: 10_000 } },
    random: Math.random,
    sinks: (nowMs: () => number) => [
      createWebhookSink({
        url,
        secret: SECRET,
        timeoutMs: 5000,
        language: 'id' as const,
        poster: fetchPoster,
        nowMs,
        userAgent: 'pantau-collector/test',
      }),
    ],
  });

  const delivered = (r: WebhookReceiver) => r.requests.filter((q) => q.status === 204);
  /** What the receiver accepted about sites (a restart also sends a NOC incident). */
  const bodies = (r: WebhookReceiver) =>
    delivered(r)
      .map((q) => JSON.parse(q.body) as Body)
      .filter((b) => b.type === 'alert');

  /** Runs the simulation while the real HTTP requests complete. */
  async function settle(h: Harness, agents: SimAgent[], minutes: number) {
    await runAgents(h, agents, h.now + minutes * MINUTE);
  }

  it('signs every request with HMAC-SHA256 and retries, with backoff, after the receiver fails', async () => {
    receiver = await startWebhookReceiver();
    const r = receiver;
    const h = await harness([kutimSite('kutim-w')], options(r.url));
    const agent = new SimAgent(new SimSite('kutim-w', START_MS), START_MS);
    await settle(h, [agent], 20);
    r.failNext(2);
    agent.powerCut();
    await settle(h, [agent], 20);
    await waitFor('the firing notification, on the third attempt', () => delivered(r).length === 1);
    expect(r.requests.map((q) => q.status)).toEqual([500, 500, 204]);
    for (const q of r.requests) {
      const signature = String(q.headers['x-pantau-signature']);
      expect(verifyWebhook(SECRET, String(q.headers['x-pantau-timestamp']), q.body, signature)).toBe(true);
      expect(verifyWebhook('some-other-secret-1', String(q.headers['x-pantau-timestamp']), q.body, signature)).toBe(
        false,
      );
    }
    // The same notification id on every attempt: a receiver can drop a repeat.
    expect(new Set(r.requests.map((q) => q.headers['x-pantau-notification-id'])).size).toBe(1);
    const [body] = bodies(r);
    expect([body?.type, body?.event, body?.alert?.siteId, body?.alert?.state]).toEqual([
      'alert',
      'firing',
      'kutim-w',
      'firing',
    ]);
    expect(body?.texts.id).toContain('offline sejak');
    expect(body?.texts.en).toContain('offline since');
  });

  it('loses nothing and sends nothing twice across a restart of the sender', async () => {
    receiver = await startWebhookReceiver();
    const r = receiver;
    const h = await harness([kutimSite('kutim-x')], options(r.url));
    const agent = new SimAgent(new SimSite('kutim-x', START_MS), START_MS);
    await settle(h, [agent], 20);
    // Receiver down: the outage's notification waits in the outbox.
    r.down();
    agent.powerCut();
    await settle(h, [agent], 20);
    expect(delivered(r)).toEqual([]);
    expect(await h.store.waiting('webhook')).toBeGreaterThan(0);

    // The collector restarts (a new service over the same store); the receiver is back.
    const h2 = await h.restart();
    r.up();
    await settle(h2, [agent], 5);
    await waitFor('the waiting notification', () => bodies(r).length === 1);
    agent.powerOn(h2.now);
    await settle(h2, [agent], 10);
    await waitFor('the resolution', () => bodies(r).length === 2);
    await settle(h2, [agent], 30);
    const got = bodies(r);
    expect(got.map((b) => [b.event, b.alert?.siteId])).toEqual([
      ['firing', 'kutim-x'],
      ['resolved', 'kutim-x'],
    ]);
    expect(new Set(got.map((b) => b.id)).size).toBe(2);
    // Each key (the site's alert, the NOC's restart incident) is delivered in its own order, checked
    // above for the alert; the two keys go out side by side, in either order.
    expect(
      delivered(r)
        .map((q) => JSON.parse(q.body).incident?.cause ?? 'alert')
        .sort(),
    ).toEqual(['alert', 'alert', 'collector_restart', 'collector_restart']);
    expect(await h2.store.waiting('webhook')).toBe(0);
  });
});
