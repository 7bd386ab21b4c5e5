import type { Collector } from '@pantau/collector';
import { decodePayload } from '@pantau/shared';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../helpers/fakes.js';
import { type Mosquitto, startMosquitto } from '../../helpers/mosquitto.js';
import { buildSite, range, storedSeqs } from '../../helpers/site.js';
import { startCollector } from '../../helpers/stack.js';
import { waitFor } from '../../helpers/wait.js';

const DAY_OF_SAMPLES = 1440;

/**
 * The broker is down for a simulated day (the agent runs on a fake clock; the broker and collector
 * are real). When it comes back the newest batch arrives first, then the backlog oldest first at
 * the byte-rate cap, and the collector ends with every sample once.
 */
describe('the broker down for a day', () => {
  let mosquitto: Mosquitto;
  let collector: Collector;
  beforeAll(async () => {
    // Persistent, as a production broker is: the collector's session (clean: false) must survive.
    mosquitto = await startMosquitto({ persistence: true });
    collector = await startCollector(mosquitto.url, 'collector-outage');
  });
  afterAll(async () => {
    await collector?.stop();
    await mosquitto?.stop();
  });

  it('delivers the newest first on return, then the whole day oldest first', { timeout: 90_000 }, async () => {
    const siteId = 'outage-day-01';
    const clock = new FakeClock(1_795_392_000_000);
    const { agent, cycles } = await buildSite(
      siteId,
      mosquitto.url,
      {
        mqtt: { url: mosquitto.url, backoffMinMs: 1000, backoffMaxMs: 300_000, startDelayMaxMs: 0 },
        delivery: { intervalSec: 300, backfillBytesPerSec: 4096 },
      },
      { io: { clock } },
    );
    const minute = async () => {
      clock.advance(60_000);
      await cycles.fire();
    };
    await agent.start();
    await waitFor('connected', () => agent.stats.connected);
    for (let i = 0; i < 5; i++) await minute();
    await waitFor('the first delivery', async () => (await storedSeqs(collector, siteId)).length === 5);

    await mosquitto.halt();
    await waitFor('the agent sees the broker gone', () => !agent.stats.connected);
    for (let i = 0; i < DAY_OF_SAMPLES; i++) await minute();
    expect(agent.stats.spoolDepth).toBe(DAY_OF_SAMPLES);
    const lastSeq = DAY_OF_SAMPLES + 4;

    await mosquitto.resume();
    const watcher = await mqtt.connectAsync(mosquitto.url, { clientId: 'watch-outage' });
    const arrivals: number[][] = [];
    watcher.on('message', (_topic, payload) => {
      // A columnar batch names its site only by its topic.
      const batch = decodePayload('telemetry', payload, undefined, { siteId });
      if (batch.ok) arrivals.push(batch.value.samples.map((s) => s.seq));
    });
    await watcher.subscribeAsync(`pantau/v1/site/${siteId}/telemetry`, { qos: 1 });
    // The reconnect wait is at most the 5-minute cap: move the fake clock past it.
    for (let i = 0; i < 10 && !agent.stats.connected; i++) {
      clock.advance(60_000);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await waitFor('reconnected', () => agent.stats.connected);
    await waitFor('the first batch after the outage', () => arrivals.length > 0);
    expect(arrivals[0]).toContain(lastSeq);
    // The backlog drains at 4 KiB/s of fake time.
    await waitFor(
      'the backlog drained',
      async () => {
        clock.advance(5_000);
        return agent.stats.spoolDepth === 0;
      },
      30_000,
      20,
    );
    const backlog = arrivals.slice(1).flat();
    expect(backlog[0]).toBe(5);
    expect(backlog).toEqual([...backlog].sort((a, b) => a - b));
    await waitFor('everything stored', async () => (await storedSeqs(collector, siteId)).length === lastSeq + 1);
    expect(await storedSeqs(collector, siteId)).toEqual(range(0, lastSeq));
    await watcher.endAsync();
    await agent.stop();
  });
});
