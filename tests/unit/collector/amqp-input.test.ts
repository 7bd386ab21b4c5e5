import { EventEmitter } from 'node:events';
import { createAmqpInput, mqttTopicToRoutingKey, redactUrl, routingKeyToMqttTopic } from '@pantau/collector';
import type { ChannelModel, ConsumeMessage } from 'amqplib';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../helpers/fakes.js';

/** A broker connection as amqplib gives it: what the input calls, recorded. */
class FakeModel extends EventEmitter {
  readonly acked: ConsumeMessage[] = [];
  readonly bound: string[] = [];
  queueArgs: unknown = null;
  onMessage: ((m: ConsumeMessage | null) => void) | null = null;
  closed = false;
  cancelled = false;
  constructor(readonly url: string) {
    super();
  }
  async createConfirmChannel() {
    const channel = new EventEmitter();
    return Object.assign(channel, {
      assertQueue: async (_q: string, options: unknown) => {
        this.queueArgs = options;
      },
      bindQueue: async (_q: string, _x: string, key: string) => {
        this.bound.push(key);
      },
      prefetch: async () => {},
      consume: async (_q: string, fn: (m: ConsumeMessage | null) => void) => {
        this.onMessage = fn;
        return { consumerTag: 'tag' };
      },
      cancel: async () => {
        this.cancelled = true;
      },
      ack: (m: ConsumeMessage) => {
        this.acked.push(m);
      },
    });
  }
  async close() {
    if (this.closed) return;
    this.closed = true;
    this.emit('close');
  }
  deliver(routingKey: string, content: string, redelivered = false) {
    const message = { content: Buffer.from(content), fields: { routingKey, redelivered }, properties: {} };
    this.onMessage?.(message as unknown as ConsumeMessage);
  }
}

function harness(handle: (topic: string, payload: Uint8Array) => Promise<void>, refuse: Set<string> = new Set()) {
  const models: FakeModel[] = [];
  const timers: (() => void)[] = [];
  const input = createAmqpInput(
    { urls: ['amqp://a', 'amqp://b'], queue: 'pantau.ingest', topicRoot: 'pantau/v1', prefetch: 8, reconnectMs: 1000 },
    { handle },
    {
      connect: async (url) => {
        if (refuse.has(url)) throw new Error('ECONNREFUSED');
        const m = new FakeModel(url);
        models.push(m);
        return m as unknown as ChannelModel;
      },
      after: (_ms, fn) => {
        timers.push(fn);
        return () => {};
      },
      log: silentLogger(),
    },
  );
  return { input, models, timers };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('AMQP input', () => {
  it('declares a quorum queue bound to what sites publish, and hands ingest MQTT topics', async () => {
    const seen: string[] = [];
    const { input, models } = harness(async (topic) => {
      seen.push(topic);
    });
    await input.start();
    const m = models[0] as FakeModel;
    expect(m.queueArgs).toMatchObject({ durable: true, arguments: { 'x-queue-type': 'quorum' } });
    expect(m.bound).toEqual(['pantau.v1.site.*.telemetry', 'pantau.v1.site.*.resend-reply', 'pantau.v1.site.*.status']);
    m.deliver('pantau.v1.site.kutim-01.telemetry', 'x');
    await settle();
    expect(seen).toEqual(['pantau/v1/site/kutim-01/telemetry']);
    expect(m.acked).toHaveLength(1);
  });

  it('acknowledges only after ingest committed, and never when the store failed', async () => {
    let commit: () => void = () => {};
    let calls = 0;
    const { input, models, timers } = harness(() => {
      calls += 1;
      if (calls === 2) return Promise.reject(new Error('store down'));
      return new Promise<void>((resolve) => {
        commit = resolve;
      });
    });
    await input.start();
    const m = models[0] as FakeModel;
    m.deliver('pantau.v1.site.s1.telemetry', 'a');
    await settle();
    expect(m.acked).toHaveLength(0);
    commit();
    await settle();
    expect(m.acked).toHaveLength(1);
    // A failed store: no ack; the connection is closed so the queue delivers it again, and a
    // reconnect is scheduled (to the next node).
    m.deliver('pantau.v1.site.s1.telemetry', 'b', true);
    await settle();
    expect(m.acked).toHaveLength(1);
    expect(m.closed).toBe(true);
    expect(timers).toHaveLength(1);
    timers[0]?.();
    await settle();
    expect(models.map((x) => x.url)).toEqual(['amqp://a', 'amqp://b']);
    expect(input.counters()).toMatchObject({ delivered: 2, redelivered: 1, acked: 1, reconnects: 1 });
  });

  it('moves on to the next node when its connection closes, and starts on any node that answers', async () => {
    const { input, models, timers } = harness(async () => {}, new Set(['amqp://a']));
    await input.start();
    expect(models.map((m) => m.url)).toEqual(['amqp://b']);
    await models[0]?.close();
    expect(timers).toHaveLength(1);
    timers[0]?.();
    await settle();
    // a refuses, so b again.
    expect(models.map((m) => m.url)).toEqual(['amqp://b', 'amqp://b']);
  });

  it('stop cancels the consumer and lets messages in flight commit and be acknowledged first', async () => {
    let commit: () => void = () => {};
    const { input, models } = harness(
      () =>
        new Promise<void>((resolve) => {
          commit = resolve;
        }),
    );
    await input.start();
    const m = models[0] as FakeModel;
    m.deliver('pantau.v1.site.s1.telemetry', 'a');
    const stopped = input.stop();
    await settle();
    expect(m.cancelled).toBe(true);
    expect(m.closed).toBe(false);
    commit();
    await stopped;
    expect(m.acked).toHaveLength(1);
    expect(m.closed).toBe(true);
  });

  it('translates topics as the MQTT plugin does, and keeps passwords out of logs', () => {
    expect(mqttTopicToRoutingKey('pantau/v1/site/+/status')).toBe('pantau.v1.site.*.status');
    expect(mqttTopicToRoutingKey('a.b/c')).toBe('a/b.c');
    expect(routingKeyToMqttTopic('a/b.c')).toBe('a.b/c');
    expect(redactUrl('amqp://pantau:s3cret@noc:5672')).toBe('amqp://pantau:***@noc:5672');
  });
});
