import { encodePayload } from '@pantau/shared';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { type Mosquitto, startMosquitto } from '../helpers/mosquitto.js';
import { startCollector } from '../helpers/stack.js';
import { waitFor } from '../helpers/wait.js';

/**
 * A broker that restarts without persistence forgets the collector's persistent session: it
 * answers the reconnect with sessionPresent = false and routes nothing to the collector until it
 * subscribes again. Ingest must resume by itself.
 */
describe('collector after the broker lost its session', () => {
  let broker: Mosquitto | undefined;
  afterEach(async () => {
    await broker?.stop();
    broker = undefined;
  });

  it.each([1, 3])('subscribes again and stores new batches (%i connection(s))', async (connections) => {
    broker = await startMosquitto({ persistence: false });
    const collector = await startCollector(broker.url, `resub-${connections}`, { ingest: { connections } });
    const publisher = await mqtt.connectAsync(broker.url, {
      clientId: `resub-pub-${connections}`,
      reconnectPeriod: 100,
    });
    let seq = 0;
    const publishOne = () => {
      const now = Date.now();
      const payload = encodePayload('telemetry', {
        v: 1,
        siteId: 'resub-01',
        agentVersion: 'test',
        sentAtMs: now,
        samples: [{ seq: seq++, bootId: 'boot', wallMs: now, clockSynced: true, uptimeMs: 1000 + seq }],
      });
      return publisher.publishAsync('pantau/v1/site/resub-01/telemetry', payload, { qos: 1 }).catch(() => {});
    };
    const stored = async () => (await collector.store.listSamples('resub-01')).length;
    try {
      await publishOne();
      await waitFor('the first batch stored', async () => (await stored()) === 1);

      await broker.halt();
      await broker.resume();
      // Until the collector has subscribed again, a publish reaches nobody and is dropped; so keep
      // publishing: without a resubscription none of these is ever stored.
      const before = await stored();
      await waitFor(
        'a batch stored after the broker restarted',
        async () => {
          if (publisher.connected) await publishOne();
          return (await stored()) > before;
        },
        15_000,
        200,
      );
      expect(await stored()).toBeGreaterThan(before);
    } finally {
      await publisher.endAsync();
      await collector.stop();
    }
  });
});
