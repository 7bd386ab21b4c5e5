import { join } from 'node:path';
import { createIngest, createSubscriber, openSqliteStore, type Store, type Subscriber } from '@pantau/collector';
import { encodePayload } from '@pantau/shared';
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { captureLogger } from '../helpers/fakes.js';
import { type Mosquitto, startMosquitto } from '../helpers/mosquitto.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import { waitFor } from '../helpers/wait.js';

// What each case starts, stopped after it: the broker, the subscriber under test, its store, a publisher.
const dirs = tempDirs();
let broker: Mosquitto | undefined;
let subscriber: Subscriber | undefined;
let store: Store | undefined;
let publisher: MqttClient | undefined;
afterEach(async () => {
  await publisher?.endAsync();
  await subscriber?.stop();
  await store?.close();
  await broker?.stop();
  publisher = undefined;
  subscriber = undefined;
  store = undefined;
  broker = undefined;
  dirs.removeAll();
});

/**
 * A broker, a SQLite store whose `insertBatches` the case wraps, and a subscriber feeding ingest
 * over it; what the subscriber logged and told of its connection is kept for the assertions.
 */
async function subscribeOver(
  wrap: (real: Store) => Store['insertBatches'],
  options: { clientId: string; keepaliveSec: number; connections?: number },
) {
  broker = await startMosquitto();
  const real = openSqliteStore(join(dirs.make('subscriber'), 'db.sqlite'));
  store = real;
  const { log, lines } = captureLogger();
  const ingest = createIngest(
    { topicRoot: 'pantau/v1', maxPayloadBytes: 65_536, quarantineSize: 10 },
    { store: { ...real, insertBatches: wrap(real) }, log, nowMs: () => Date.now() },
  );
  const connectionChanges: boolean[] = [];
  const sub = createSubscriber(
    {
      url: broker.url,
      reconnectMs: 200,
      topicRoot: 'pantau/v1',
      ...options,
      onConnection: (up) => connectionChanges.push(up),
    },
    ingest,
    log,
  );
  subscriber = sub;
  await sub.start();
  publisher = await mqtt.connectAsync(broker.url, { clientId: `${options.clientId}-pub` });
  const pub = publisher;
  /** Publishes one sample of `siteId` as its own batch, QoS 1. */
  const publishBatch = (siteId: string, seq: number) => {
    const now = Date.now();
    const payload = encodePayload('telemetry', {
      v: 1,
      siteId,
      agentVersion: 'test',
      sentAtMs: now,
      samples: [{ seq, bootId: 'boot', wallMs: now, clockSynced: true, uptimeMs: 1000 + seq }],
    });
    return pub.publishAsync(`pantau/v1/site/${siteId}/telemetry`, payload, { qos: 1 });
  };
  return { real, ingest, subscriber: sub, lines, connectionChanges, publishBatch };
}

/**
 * A message whose commit fails is not acknowledged, and a broker sends an unacknowledged message
 * again only on a new connection. The collector must get it back by itself, soon, and not wait
 * for a reconnect that may never come: before it dropped the connection, such a message sat in
 * the broker's in-flight window until the next restart.
 */
describe('a message the store failed to commit', () => {
  it.each([1, 2])('is delivered again and stored once (%i connection(s))', async (connections) => {
    let failuresLeft = 1;
    // The first commit fails as a locked or full database would; every later one goes through.
    const s = await subscribeOver(
      (real) => (items) => {
        if (failuresLeft > 0) {
          failuresLeft -= 1;
          return Promise.reject(new Error('database is locked'));
        }
        return real.insertBatches(items);
      },
      { clientId: `redeliver-${connections}`, keepaliveSec: 60, connections },
    );
    for (const seq of [1, 2, 3]) await s.publishBatch('redeliver-01', seq);
    // Without the redelivery the first batch never arrives: the keepalive (60 s) never lapses.
    await waitFor(
      'all three batches stored',
      async () => (await s.real.listSamples('redeliver-01')).length === 3,
      15_000,
    );
    const seqs = (await s.real.listSamples('redeliver-01')).map((x) => x.seq).sort();
    expect(seqs).toEqual([1, 2, 3]);
    expect(failuresLeft).toBe(0);
    expect(s.subscriber.counters?.()).toEqual({ storeFailures: 1 });
    expect(s.lines.filter((l) => l.event === 'store_failed')).toHaveLength(1);
    // The connection we dropped on purpose is not reported as a lost broker.
    expect(s.connectionChanges).toEqual([]);
  });
});

/**
 * mqtt.js handles one PUBLISH at a time, and a PINGRESP waits behind the broker's in-flight window.
 * With commits slower than 1.5 keepalives over that window, a busy but healthy connection was taken
 * for dead, dropped and reconnected, and the window came back as duplicates.
 */
describe('a slow store under a backlog', () => {
  it('keeps the connection while messages are being handled', async () => {
    const commitMs = 800;
    const keepaliveSec = 5;
    const s = await subscribeOver(
      (real) => async (items) => {
        await new Promise((resolve) => setTimeout(resolve, commitMs));
        return real.insertBatches(items);
      },
      { clientId: 'slow-store', keepaliveSec },
    );
    // Twenty batches (the broker's in-flight window) at 0.8 s each: 16 s of commits in a row,
    // twice 1.5 keepalives (7.5 s), so the unanswered ping falls inside whatever the start.
    const batches = 20;
    expect(batches * commitMs).toBeGreaterThanOrEqual(2 * 1.5 * keepaliveSec * 1000);
    await Promise.all(Array.from({ length: batches }, (_, i) => s.publishBatch('slow-01', i + 1)));
    await waitFor('every batch stored', async () => (await s.real.listSamples('slow-01')).length === batches, 60_000);
    expect(s.lines.filter((l) => l.event === 'mqtt_error')).toEqual([]);
    expect(s.connectionChanges).toEqual([]);
    // Nothing came back a second time: the connection was never dropped.
    expect(s.ingest.counters().duplicates).toBe(0);
  });
});
