import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Collector } from '@pantau/collector';
import { encodePayload } from '@pantau/shared';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Mosquitto, startMosquitto } from '../helpers/mosquitto.js';
import { startCollector } from '../helpers/stack.js';
import { waitFor } from '../helpers/wait.js';

/**
 * A decoder that throws (a bug no test has found yet) must not leave its message unacknowledged:
 * the broker would hand it to the collector again at every restart. The collector's decoder is
 * replaced here by one that throws on payloads starting with 0xEE; everything else is real
 * (Mosquitto with persistence, the subscriber, ingest, SQLite).
 */
vi.mock('../../collector/src/decode/index.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../collector/src/decode/index.js')>();
  const decodeIngestPayload: typeof real.decodeIngestPayload = (kind, payload, maxBytes, context) => {
    if (payload[0] === 0xee) throw new TypeError('a bug in the decoder');
    return real.decodeIngestPayload(kind, payload, maxBytes, context);
  };
  return { ...real, decodeIngestPayload };
});

const SITE = 'throws-01';
const TOPIC = `pantau/v1/site/${SITE}/telemetry`;
const batch = (seq: number) => {
  const now = Date.now();
  return encodePayload('telemetry', {
    v: 1,
    siteId: SITE,
    agentVersion: 'test',
    sentAtMs: now,
    samples: [{ seq, bootId: 'boot', wallMs: now, clockSynced: true, uptimeMs: 1000 + seq }],
  });
};

describe('a decoder that throws', () => {
  let broker: Mosquitto | undefined;
  let collector: Collector | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'pantau-throws-'));
  afterEach(async () => {
    await collector?.stop();
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('costs a counted reject, and the message is acknowledged: a restart does not bring it back', async () => {
    broker = await startMosquitto({ persistence: true });
    const sqlitePath = join(dir, 'pantau.sqlite');
    collector = await startCollector(broker.url, 'throws-collector', { sqlitePath });
    const publisher = await mqtt.connectAsync(broker.url, { clientId: 'throws-publisher' });
    try {
      await publisher.publishAsync(TOPIC, Buffer.from([0xee, 1, 2, 3]), { qos: 1 });
      await publisher.publishAsync(TOPIC, batch(1), { qos: 1 });
      const first = collector;
      await waitFor(
        'the batch behind the bad one stored',
        async () => (await first.store.listSamples(SITE)).length === 1,
      );
      expect(first.ingest.counters()).toMatchObject({ rejected: 1, rejectsByReason: { decoder_crashed: 1 } });
      await first.stop();

      collector = await startCollector(broker.url, 'throws-collector', { sqlitePath });
      const second = collector;
      await publisher.publishAsync(TOPIC, batch(2), { qos: 1 });
      await waitFor(
        'a new batch stored after the restart',
        async () => (await second.store.listSamples(SITE)).length === 2,
      );
      // Anything the broker still held would have come before the new batch.
      expect(second.ingest.counters()).toMatchObject({ messages: 1, rejected: 0 });
    } finally {
      await publisher.endAsync();
    }
  }, 60_000);
});
