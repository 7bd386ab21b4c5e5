import { createAlertmanagerSink, fetchPoster } from '@pantau/collector';
import { afterEach, describe, expect, it } from 'vitest';
import { type Alertmanager, startAlertmanager } from '../helpers/alertmanager.js';
import { waitFor } from '../helpers/wait.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';
import { harness, kutimSite, MINUTE, runAgents, SimAgent, SimSite } from '../unit/collector/health/sim.js';

/** The simulated clock runs a few hours behind the real one, so every time sent is in the past. */
const startMs = () => Date.now() - 3 * 3_600_000;

interface ChatMessage {
  readonly status: string;
  readonly alerts: { readonly status: string; readonly labels: Record<string, string> }[];
}

describe('alerts reach a real Alertmanager (Debian prometheus-alertmanager)', () => {
  let am: Alertmanager | null = null;
  let chat: WebhookReceiver | null = null;
  afterEach(async () => {
    await am?.stop();
    await chat?.close();
    am = null;
    chat = null;
  });

  async function setUp(resolveTimeoutSec = 300) {
    chat = await startWebhookReceiver('/chat');
    am = await startAlertmanager({ receiverUrl: chat.url, resolveTimeoutSec });
    const url = am.url;
    const sink = createAlertmanagerSink({ url, timeoutMs: 5000, language: 'id', poster: fetchPoster, nowMs: Date.now });
    const h = await harness([kutimSite('kutim-am', '64.08.05', { name: 'Kantor Desa Swarga Bara' })], {
      sinks: () => [sink],
      repost: (firing) => sink.post(firing),
      startMs: startMs(),
    });
    return { h, am, chat, agent: new SimAgent(new SimSite('kutim-am', h.now), h.now) };
  }

  const chatMessages = (receiver: WebhookReceiver) => receiver.requests.map((r) => JSON.parse(r.body) as ChatMessage);

  it('fires with labels a NOC routes on, reaches its route, and resolves with endsAt', async () => {
    const { h, am, chat, agent } = await setUp();
    await runAgents(h, [agent], h.now + 20 * MINUTE);
    agent.powerCut();
    await runAgents(h, [agent], h.now + 20 * MINUTE);
    const [firing] = await waitFor('the alert in Alertmanager', async () => {
      const list = await am.alerts(['site="kutim-am"']);
      return list.length > 0 ? list : null;
    });
    expect(firing?.labels).toMatchObject({
      alertname: 'pantau_offline',
      site: 'kutim-am',
      kabupaten: 'Kutai Timur',
      kecamatan: 'Sangatta Utara',
      kind: 'offline',
      cause: 'unknown',
      severity: 'critical',
    });
    expect(firing?.status.state).toBe('active');
    expect(firing?.annotations.summary).toContain('Kantor Desa Swarga Bara (kutim-am) offline sejak');
    // Alertmanager's own route (grouped by kabupaten and kecamatan) delivered it to the "chat".
    await waitFor('a chat notification', () =>
      chatMessages(chat).some((m) => m.status === 'firing' && m.alerts[0]?.labels.site === 'kutim-am'),
    );

    agent.powerOn(h.now);
    await runAgents(h, [agent], h.now + 10 * MINUTE);
    await waitFor('the alert resolved', async () => (await am.alerts(['site="kutim-am"'])).length === 0);
    await waitFor('a resolved chat notification', () =>
      chatMessages(chat).some((m) => m.status === 'resolved' && m.alerts[0]?.labels.cause === 'power'),
    );
  });

  it('stays firing past resolve_timeout only because it is posted again', async () => {
    const { h, am, agent } = await setUp(4);
    await runAgents(h, [agent], h.now + 20 * MINUTE);
    agent.linkDown();
    await runAgents(h, [agent], h.now + 20 * MINUTE);
    await waitFor('the alert in Alertmanager', async () => (await am.alerts(['site="kutim-am"'])).length === 1);
    // Re-posted every second for twice the resolve timeout: still active.
    const until = Date.now() + 8000;
    while (Date.now() < until) {
      await h.service.repost();
      await new Promise((r) => setTimeout(r, 1000));
      const [alert] = await am.alerts(['site="kutim-am"']);
      expect(alert?.status.state).toBe('active');
    }
    // Not re-posted: Alertmanager resolves it by itself after resolve_timeout.
    await waitFor(
      'Alertmanager to time it out',
      async () => (await am.alerts(['site="kutim-am"'])).length === 0,
      20_000,
    );
  }, 60_000);

  it('a cause revised by backfill ends the alert under its old labels too', async () => {
    const { h, am, agent } = await setUp();
    await runAgents(h, [agent], h.now + 20 * MINUTE);
    agent.linkDown();
    await runAgents(h, [agent], h.now + 30 * MINUTE);
    await waitFor('the alert with cause unknown', async () =>
      (await am.alerts(['site="kutim-am"'])).some((a) => a.labels.cause === 'unknown'),
    );
    agent.linkRestored(h.now);
    await runAgents(h, [agent], h.now + 10 * MINUTE);
    await waitFor('no alert left for the site', async () => (await am.alerts(['site="kutim-am"'])).length === 0);
    const posted = h.webhook.sent.filter((n) => n.alert?.kind === 'offline').map((n) => [n.event, n.alert?.cause]);
    expect(posted).toEqual([
      ['firing', 'unknown'],
      ['resolved', 'link'],
    ]);
  });
});
