import { createPublisher, mqttJsConnect, type Publisher } from '@pantau/agent';
import { startEmbeddedBroker } from '@pantau/collector';
import { siteTopic } from '@pantau/shared';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { captureLogger, FakeClock } from '../helpers/fakes.js';
import { startMosquitto } from '../helpers/mosquitto.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';
import { waitFor } from '../helpers/wait.js';

const SITE = 'alias-site-01';
const sample = (seq: number) => ({
  seq,
  bootId: 'b1',
  wallMs: 1_795_392_000_000 + seq,
  clockSynced: true,
  uptimeMs: 5,
});

function publisherTo(url: string, clock = new FakeClock(), log = captureLogger('info').log): Publisher {
  const publisher = createPublisher(
    {
      url,
      keepaliveSec: 330,
      connectTimeoutMs: 5000,
      backoff: { minMs: 60_000, maxMs: 60_000, reconnectWithinMs: 60_000 },
      startDelayMaxMs: 0,
      topicRoot: 'pantau/v1',
      siteId: SITE,
      bootId: 'b1',
      agentVersion: '0.1.0',
      configHash: 'x',
      encoding: 'columnar',
      ackTimeoutMs: 10_000,
    },
    {
      clock,
      random: () => 0,
      log,
      nextEpoch: () => 0,
      spoolState: () => ({ depth: 0, dropped: 0, fault: null }),
      connect: mqttJsConnect,
    },
  );
  return publisher;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('MQTT 5 topic aliases', () => {
  it('send the telemetry topic once a connection; subscribers still see the full topic', async () => {
    const mosquitto = await startMosquitto();
    cleanups.push(() => mosquitto.stop());
    const proxy = await startTcpProxy(mosquitto.port);
    cleanups.push(() => proxy.close());
    const topic = siteTopic('pantau/v1', SITE, 'telemetry');
    const received: string[] = [];
    const subscriber = await mqtt.connectAsync(mosquitto.url, { clientId: 'alias-sub' });
    cleanups.push(() => subscriber.endAsync());
    subscriber.on('message', (t) => received.push(t));
    await subscriber.subscribeAsync(topic, { qos: 1 });
    const publisher = publisherTo(proxy.url);
    cleanups.push(() => publisher.stop());
    const statuses: string[] = [];
    const watcher = await mqtt.connectAsync(mosquitto.url, { clientId: 'alias-status' });
    cleanups.push(() => watcher.endAsync());
    watcher.on('message', (t) => statuses.push(t));
    await watcher.subscribeAsync(siteTopic('pantau/v1', SITE, 'status'), { qos: 1 });
    publisher.start();
    await waitFor('connected', () => publisher.connected);
    // The birth status goes first; on a busy machine it may still be on its way.
    await waitFor('the online status', () => statuses.length > 0);
    const upBytes: number[] = [];
    for (let seq = 0; seq < 3; seq++) {
      const before = proxy.up.bytes;
      const result = await publisher.publishSamples([sample(seq)]);
      expect(result.ok).toBe(true);
      upBytes.push(proxy.up.bytes - before);
    }
    // Same-sized payloads: the later PUBLISHes drop the topic's bytes for a 3-byte alias property.
    const [first, second, third] = upBytes as [number, number, number];
    expect(first - second).toBeGreaterThanOrEqual(topic.length - 3);
    expect(Math.abs(second - third)).toBeLessThanOrEqual(2);
    await waitFor('three messages', () => received.length === 3);
    expect(received).toEqual([topic, topic, topic]);
  });

  it('fall back to MQTT 3.1.1 at once when the broker refuses MQTT 5 (the embedded broker)', async () => {
    const { log, lines } = captureLogger('info');
    const broker = await startEmbeddedBroker('127.0.0.1', 0, log);
    cleanups.push(() => broker.close());
    const clock = new FakeClock();
    const publisher = publisherTo(broker.url, clock, log);
    cleanups.push(() => publisher.stop());
    publisher.start();
    // The refusal closes the connection in real time; the retry is due now, not after the
    // minute's backoff.
    await waitFor('the refusal', () => clock.pendingTimers > 0);
    clock.advance(0);
    await waitFor('connected', () => publisher.connected);
    expect((await publisher.publishSamples([sample(1)])).ok).toBe(true);
    expect(lines.filter((l) => l.event === 'mqtt_downgrade')).toHaveLength(1);
    expect(publisher.stats.attempts).toBe(2);
  });
});
