import type { Collector } from '@pantau/collector';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Mosquitto, startMosquitto } from '../helpers/mosquitto.js';
import { buildSite, range, requestResend, storedSeqs } from '../helpers/site.js';
import { startCollector } from '../helpers/stack.js';
import { waitFor } from '../helpers/wait.js';

describe('resend on request, through a real Mosquitto', () => {
  let mosquitto: Mosquitto;
  let collector: Collector;
  beforeAll(async () => {
    mosquitto = await startMosquitto();
    collector = await startCollector(mosquitto.url, 'collector-resend');
  });
  afterAll(async () => {
    await collector?.stop();
    await mosquitto?.stop();
  });

  it('answers from the spool, and names what it never had or no longer holds', async () => {
    const siteId = 'resend-01';
    const { agent, cycles } = await buildSite(siteId, mosquitto.url, { spool: { maxSamples: 10, segmentSamples: 5 } });
    await agent.start();
    await waitFor('connected', () => agent.stats.connected);
    for (let i = 0; i < 20; i++) await cycles.fire();
    await waitFor('20 samples stored', async () => (await storedSeqs(collector, siteId)).length === 20);

    const watcher = await mqtt.connectAsync(mosquitto.url, { clientId: 'watch-resend' });
    const replies: unknown[] = [];
    watcher.on('message', (topic, payload) => {
      if (topic.endsWith('resend-reply')) replies.push(JSON.parse(String(payload)));
    });
    await watcher.subscribeAsync(`pantau/v1/site/${siteId}/#`, { qos: 1 });
    const before = collector.ingest.counters().duplicates;
    await requestResend(mosquitto.url, siteId, 0, 19);
    await waitFor('the reply', () => replies.length === 1);
    const reply = replies[0] as { resentSamples: number; gone: { fromSeq: number; toSeq: number }[] };
    // Spool of 10 in segments of 5: it holds 10..19 (or 5..19), and says the rest is gone.
    const goneTo = reply.gone[0]?.toSeq ?? -1;
    expect(reply.gone).toEqual([{ fromSeq: 0, toSeq: goneTo }]);
    expect(reply.resentSamples).toBe(19 - goneTo);
    await waitFor('the resent samples, counted as duplicates', () =>
      collector.ingest.counters().duplicates - before === reply.resentSamples ? true : null,
    );
    expect(await storedSeqs(collector, siteId)).toEqual(range(0, 19));
    await watcher.endAsync();
    await agent.stop();
  });

  it('gets a request made while the site was away, from its persistent session', async () => {
    const siteId = 'resend-02';
    const first = await buildSite(siteId, mosquitto.url);
    await first.agent.start();
    await waitFor('connected', () => first.agent.stats.connected);
    for (let i = 0; i < 3; i++) await first.cycles.fire();
    await waitFor('3 samples', async () => (await storedSeqs(collector, siteId)).length === 3);
    await first.agent.stop();
    const before = collector.ingest.counters().duplicates;
    await requestResend(mosquitto.url, siteId, 1, 2);
    const again = await buildSite(siteId, mosquitto.url, {}, { dataDir: first.config.dataDir });
    await again.agent.start();
    await waitFor('the resent samples', () => collector.ingest.counters().duplicates - before === 2);
    await again.agent.stop();
  });
});
