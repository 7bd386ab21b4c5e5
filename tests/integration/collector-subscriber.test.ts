import { join } from 'node:path';
import { createIngest, createSubscriber, openSqliteStore, type Store, type Subscriber } from '@pantau/collector';
import { encodePayload } from '@pantau/shared';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { captureLogger } from '../helpers/fakes.js';
import { type Mosquitto, startMosquitto } from '../helpers/mosquitto.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import { waitFor } from '../helpers/wait.js';

// What each case starts, stopped after it: the broker, the subscriber under test and its store.
const dirs = tempDirs();
let broker: Mosquitto | undefined;
let subscriber: Subscriber | undefined;
let store: Store | undefined;
afterEach(async () => {
  await subscriber?.stop();
  await store?.close();
  await broker?.stop();
  subscriber = undefined;
  store = undefined;
  broker = undefined;
  dirs.removeAll();
});

/**
 * A message whose commit fails is not acknowledged, and a broker sends an unacknowledged message
 * again only on a new connection. The collector must get it back by itself, soon, and not wait
 * for a reconnect that may never come: before it dropped the connection, such a message sat in
 * the broker's in-flight window until the next restart.
 */
describe('a message the store failed to commit', () => {
  it.each([1, 2])('is delivered again and stored once (%i connection(s))', async (connections) => {
    broker = await startMosquitto();
    store = openSqliteStore(join(dirs.make('redeliver'), 'db.sqlite'));
    const real = store;
    let failuresLeft = 1;
    // The first commit fails as a locked or full database would; every later one goes through.
    const flaky: Store = {
      ...real,
      insertBatches: (items) => {
        if (failuresLeft > 0) {
          failuresLeft -= 1;
          return Promise.reject(new Error('database is locked'));
        }
        return real.insertBatches(items);
      },
    };
    const { log, lines } = captureLogger();
    const ingest = createIngest(
      { topicRoot: 'pantau/v1', maxPayloadBytes: 65_536, quarantineSize: 10 },
      { store: flaky, log, nowMs: () => Date.now() },
    );
    const connectionChanges: boolean[] = [];
    subscriber = createSubscriber(
      {
        url: broker.url,
        clientId: `redeliver-${connections}`,
        keepaliveSec: 60,
        reconnectMs: 200,
        topicRoot: 'pantau/v1',
        connections,
        onConnection: (up) => connectionChanges.push(up),
      },
      ingest,
      log,
    );
    await subscriber.start();

    const publisher = await mqtt.connectAsync(broker.url, { clientId: `redeliver-pub-${connections}` });
    try {
      const now = Date.now();
      for (const seq of [1, 2, 3]) {
        const payload = encodePayload('telemetry', {
          v: 1,
          siteId: 'redeliver-01',
          agentVersion: 'test',
          sentAtMs: now,
          samples: [{ seq, bootId: 'boot', wallMs: now, clockSynced: true, uptimeMs: 1000 + seq }],
        });
        await publisher.publishAsync('pantau/v1/site/redeliver-01/telemetry', payload, { qos: 1 });
      }
      // Without the redelivery the first batch never arrives: the keepalive (60 s) never lapses.
      await waitFor(
        'all three batches stored',
        async () => (await real.listSamples('redeliver-01')).length === 3,
        15_000,
      );
      const seqs = (await real.listSamples('redeliver-01')).map((s) => s.seq).sort();
      expect(seqs).toEqual([1, 2, 3]);
      expect(failuresLeft).toBe(0);
      expect(subscriber.counters?.()).toEqual({ storeFailures: 1 });
      expect(lines.filter((l) => l.event === 'store_failed')).toHaveLength(1);
      // The connection we dropped on purpose is not reported as a lost broker.
      expect(connectionChanges).toEqual([]);
    } finally {
      await publisher.endAsync();
    }
  });
});

/**
 * mqtt.js handles one PUBLISH at a time, and a PINGRESP waits behind the broker's in-flight window.
 * With commits slower than 1.5 keepalives over that window, a busy but healthy connection was taken
 * for dead, dropped and reconnected, and the window came back as duplicates.
 */
describe('a slow store under a backlog', () => {
  it('keeps the connection while messages are being handled', async () => {
    broker = await startMosquitto();
    store = openSqliteStore(join(dirs.make('slow'), 'db.sqlite'));
    const real = store;
    const commitMs = 800;
    const slow: Store = {
      ...real,
      insertBatches: async (items) => {
        await new Promise((resolve) => setTimeout(resolve, commitMs));
        return real.insertBatches(items);
      },
    };
    const { log, lines } = captureLogger();
    const ingest = createIngest(
      { topicRoot: 'pantau/v1', maxPayloadBytes: 65_536, quarantineSize: 10 },
      { store: slow, log, nowMs: () => Date.now() },
    );
    const connectionChanges: boolean[] = [];
    const keepaliveSec = 5;
    subscriber = createSubscriber(
      {
        url: broker.url,
        clientId: 'slow-store',
        keepaliveSec,
        reconnectMs: 200,
        topicRoot: 'pantau/v1',
        onConnection: (up) => connectionChanges.push(up),
      },
      ingest,
      log,
    );
    await subscriber.start();
    const publisher = await mqtt.connectAsync(broker.url, { clientId: 'slow-store-pub' });
    // Twenty batches (the broker's in-flight window) at 0.8 s each: 16 s of commits in a row,
    // twice 1.5 keepalives (7.5 s), so the unanswered ping falls inside whatever the start.
    const batches = 20;
    expect(batches * commitMs).toBeGreaterThanOrEqual(2 * 1.5 * keepaliveSec * 1000);
    try {
      const now = Date.now();
      await Promise.all(
        Array.from({ length: batches }, (_, i) =>
          publisher.publishAsync(
            'pantau/v1/site/slow-01/telemetry',
            encodePayload('telemetry', {
              v: 1,
              siteId: 'slow-01',
              agentVersion: 'test',
              sentAtMs: now,
              samples: [{ seq: i + 1, bootId: 'boot', wallMs: now, clockSynced: true, uptimeMs: 1000 + i }],
            }),
            { qos: 1 },
          ),
        ),
      );
      await waitFor('every batch stored', async () => (await real.listSamples('slow-01')).length === batches, 60_000);
      expect(lines.filter((l) => l.event === 'mqtt_error')).toEqual([]);
      expect(connectionChanges).toEqual([]);
      // Nothing came back a second time: the connection was never dropped.
      expect(ingest.counters().duplicates).toBe(0);
    } finally {
      await publisher.endAsync();
    }
  });
});
