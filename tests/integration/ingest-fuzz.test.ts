import type { RejectReason } from '@pantau/collector';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badCase, FUZZ_MAX_BYTES, goodBatch, prng } from '../helpers/fuzz.js';
import { type Mosquitto, startMosquitto } from '../helpers/mosquitto.js';
import { startCollector } from '../helpers/stack.js';
import { waitFor } from '../helpers/wait.js';

const BAD = 3000;
/** What the collector subscribes to: other topics never reach it through a broker. */
const delivered = (topic: string) => /^pantau\/v1\/site\/[^/#+]+\/(telemetry|status|resend-reply)$/.test(topic);

describe('bad payloads through a real Mosquitto', () => {
  let mosquitto: Mosquitto;
  beforeAll(async () => {
    mosquitto = await startMosquitto();
  });
  afterAll(async () => {
    await mosquitto?.stop();
  });

  it(`rejects ${BAD} bad messages with their reasons and stores every good one between them`, async () => {
    const collector = await startCollector(mosquitto.url, 'col-fuzz', { ingest: { maxPayloadBytes: FUZZ_MAX_BYTES } });
    const pub = await mqtt.connectAsync(mosquitto.url, { clientId: 'fuzzer' });
    try {
      const rand = prng(7);
      const now = Date.now();
      const expected: Partial<Record<RejectReason, number>> = {};
      let sent = 0;
      let good = 0;
      for (let i = 0; i < BAD; i++) {
        const c = badCase(rand, now, i);
        if (!delivered(c.topic) || c.reason === null) continue;
        expected[c.reason] = (expected[c.reason] ?? 0) + 1;
        await pub.publishAsync(c.topic, c.payload, { qos: 1 });
        sent += 1;
        if (i % 10 === 0) {
          const site = `f${good % 97}`;
          await pub.publishAsync(
            `pantau/v1/site/${site}/telemetry`,
            Buffer.from(JSON.stringify(goodBatch(site, good, now))),
            {
              qos: 1,
            },
          );
          good += 1;
        }
      }
      // Each good message holds one sample; `messages` alone would count one still being committed.
      await waitFor(
        'every message ingested',
        () => collector.ingest.counters().rejected + collector.ingest.counters().samplesStored === sent + good,
        60_000,
      );
      const counters = collector.ingest.counters();
      expect(counters.rejectsByReason).toEqual(expected);
      expect(counters.samplesStored).toBe(good);
      const sites = await collector.store.listSites();
      expect(sites.reduce((n, s) => n + s.samples, 0)).toBe(good);
    } finally {
      await pub.endAsync();
      await collector.stop();
    }
  }, 90_000);
});
