import { createPublisher, type Publisher } from '@pantau/agent';
import { decodePayload } from '@pantau/shared';
import { describe, expect, it } from 'vitest';
import { FakeMqtt } from '../../../helpers/fake-mqtt.js';
import { FakeClock, silentLogger } from '../../../helpers/fakes.js';

function publisher(): { p: Publisher; mqtt: FakeMqtt; clock: FakeClock } {
  const mqtt = new FakeMqtt();
  const clock = new FakeClock();
  const p = createPublisher(
    {
      url: 'mqtt://broker',
      keepaliveSec: 330,
      connectTimeoutMs: 5000,
      backoff: { minMs: 1000, maxMs: 4000, reconnectWithinMs: 4000 },
      startDelayMaxMs: 0,
      topicRoot: 'pantau/v1',
      siteId: 's1',
      bootId: 'b1',
      agentVersion: '0.1.0',
      configHash: 'x',
      encoding: 'json',
      ackTimeoutMs: 10_000,
    },
    {
      clock,
      random: () => 0,
      log: silentLogger(),
      connect: mqtt.connect,
      nextEpoch: () => 3,
      spoolState: () => ({ depth: 2, dropped: 0, fault: null }),
    },
  );
  return { p, mqtt, clock };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));
const sample = { seq: 1, bootId: 'b1', wallMs: 1_795_392_000_000, clockSynced: true, uptimeMs: 5 };

describe('the publisher', () => {
  it('on a new session subscribes to resend requests, says online, then tells its listeners', async () => {
    const { p, mqtt } = publisher();
    const heard: string[] = [];
    p.listen({ connected: () => heard.push('connected'), disconnected: () => heard.push('disconnected') });
    p.start();
    expect(await p.publishSamples([sample])).toMatchObject({ ok: false, code: 'not_connected' });
    mqtt.last.accept(false);
    await flush();
    expect(mqtt.last.subscribed).toEqual(['pantau/v1/site/s1/resend']);
    const birth = mqtt.last.published[0];
    expect(birth?.topic).toBe('pantau/v1/site/s1/status');
    expect(birth?.retain).toBe(true);
    const status = decodePayload('status', birth?.payload ?? Buffer.alloc(0));
    expect(status.ok && status.value).toMatchObject({ state: 'online', epoch: 3, spoolDepth: 2 });
    expect(heard).toEqual(['connected']);
    mqtt.last.close();
    expect(heard).toEqual(['connected', 'disconnected']);
    await p.stop();
  });

  it('keeps the session it finds, and hands resend requests to its listeners', async () => {
    const { p, mqtt } = publisher();
    const requests: string[] = [];
    p.listen({ resendRequest: async (payload) => void requests.push(payload.toString()) });
    p.start();
    mqtt.last.accept(true);
    await flush();
    expect(mqtt.last.subscribed).toEqual([]);
    mqtt.last.deliver('pantau/v1/site/s1/resend', Buffer.from('r1'));
    mqtt.last.deliver('pantau/v1/site/other/resend', Buffer.from('r2'));
    await flush();
    expect(requests).toEqual(['r1']);
    await p.stop();
  });

  it('publishes batches with their size, counts its bytes, and says shutdown before a clean disconnect', async () => {
    const { p, mqtt } = publisher();
    p.start();
    mqtt.last.accept(true);
    await flush();
    const sent = await p.publishSamples([sample]);
    expect(sent.ok && sent.value).toBeGreaterThan(50);
    const wire = p.takeWireBytes();
    expect(wire.txBytes).toBe(mqtt.last.published.reduce((sum, m) => sum + m.payload.byteLength, 0));
    expect(p.takeWireBytes()).toEqual({ txBytes: 0, rxBytes: 0 });
    const link = mqtt.last;
    await p.stop();
    const goodbye = decodePayload('status', link.published.at(-1)?.payload ?? Buffer.alloc(0));
    expect(goodbye.ok && goodbye.value).toMatchObject({ state: 'offline', reason: 'shutdown' });
    expect(link.ended).toBe(true);
    expect(p.connected).toBe(false);
  });

  it('stops on a link that never acknowledges its goodbye, without the clean end that would wait for it', async () => {
    const { p, mqtt, clock } = publisher();
    p.start();
    const link = mqtt.last;
    link.accept(true);
    await flush();
    link.autoAck = false;
    let stopped = false;
    const stopping = p.stop().then(() => {
      stopped = true;
    });
    await flush();
    clock.advance(5000);
    await stopping;
    expect(stopped).toBe(true);
    // mqtt.js's clean end waits for every PUBACK: on this link it would never return.
    expect(link.ended).toBe(false);
    expect(link.abandoned || link.destroyed).toBe(true);
  });

  it('sends nothing before the birth message is out, so the NOC hears online first', async () => {
    const { p, mqtt } = publisher();
    p.start();
    const link = mqtt.last;
    link.autoAck = false;
    link.accept(true);
    await flush();
    expect(p.connected).toBe(false);
    expect(await p.publishSamples([sample])).toMatchObject({ ok: false, code: 'not_connected' });
    expect(link.published.map((m) => m.topic)).toEqual(['pantau/v1/site/s1/status']);
    link.ack();
    await flush();
    expect(p.connected).toBe(true);
    link.autoAck = true;
    await p.stop();
  });

  it('answers a resend request the broker kept for the site once online is out, not before', async () => {
    const { p, mqtt } = publisher();
    const answers: boolean[] = [];
    p.listen({
      resendRequest: async () => {
        answers.push((await p.publishSamples([sample])).ok);
      },
    });
    p.start();
    const link = mqtt.last;
    link.autoAck = false;
    link.accept(true);
    // The broker hands over the kept request at once, while the birth message waits for its PUBACK.
    link.deliver('pantau/v1/site/s1/resend', Buffer.from('r1'));
    await flush();
    expect(answers).toEqual([]);
    link.autoAck = true;
    link.ack();
    await flush();
    expect(answers).toEqual([true]);
    expect(link.published.map((m) => m.topic)).toEqual(['pantau/v1/site/s1/status', 'pantau/v1/site/s1/telemetry']);
    await p.stop();
  });
});
