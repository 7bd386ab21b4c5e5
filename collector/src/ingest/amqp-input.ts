import { guard, type Logger } from '@pantau/shared';
import type { Channel, ChannelModel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import { ingestBindings, mqttTopicToRoutingKey, routingKeyToMqttTopic } from './amqp-topics.js';
import type { Ingest } from './ingest.js';
import type { Subscriber } from './subscriber.js';

/** The exchange RabbitMQ's MQTT plugin publishes to, and delivers to MQTT subscribers from. */
export const MQTT_EXCHANGE = 'amq.topic';

export interface AmqpInputOptions {
  /** The cluster's nodes; a lost connection moves on to the next. */
  readonly urls: readonly string[];
  /** A quorum queue every collector consumes from: each message goes to one of them. */
  readonly queue: string;
  readonly topicRoot: string;
  /** Messages in flight per collector: the most ingest may commit in one group. */
  readonly prefetch: number;
  readonly reconnectMs: number;
}

export interface AmqpInputDeps {
  readonly connect: (url: string) => Promise<ChannelModel>;
  /** Runs `fn` once after `ms`; returns a cancel. */
  readonly after: (ms: number, fn: () => void) => () => void;
  readonly log: Logger;
}

export type AmqpInputCounters = {
  readonly delivered: number;
  /** Deliveries the broker flagged as possibly seen before (a consumer went away before its ack). */
  readonly redelivered: number;
  readonly acked: number;
  readonly reconnects: number;
};

export interface AmqpInput extends Subscriber {
  counters(): AmqpInputCounters;
}

/**
 * Declares the ingest queue and binds it to what sites publish. A quorum queue is replicated on a
 * majority of the nodes: a message confirmed to its publisher (the MQTT plugin's PUBACK) survives
 * the loss of a node. Declaring again with the same arguments changes nothing.
 */
export async function declareIngestQueue(ch: Channel, queue: string, topicRoot: string): Promise<void> {
  await ch.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  for (const key of ingestBindings(topicRoot)) await ch.bindQueue(queue, MQTT_EXCHANGE, key);
}

/** A URL as logs may show it: without its password. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

/**
 * The collector's input from a RabbitMQ cluster: sites publish over MQTT to any node, the MQTT
 * plugin routes each message to `amq.topic`, and a replicated quorum queue bound there holds it
 * until a collector acknowledges it. A message is acknowledged only after ingest committed it (or
 * rejected it for good); a collector or node that goes away leaves its unacknowledged messages to
 * the queue, which delivers them again (the store's identity absorbs what was already committed).
 */
export function createAmqpInput(
  options: AmqpInputOptions,
  ingest: Pick<Ingest, 'handle'>,
  deps: AmqpInputDeps,
): AmqpInput {
  const { log } = deps;
  let model: ChannelModel | null = null;
  let channel: ConfirmChannel | null = null;
  let consumerTag: string | null = null;
  let nextUrl = 0;
  let stopped = false;
  let cancelRetry: (() => void) | null = null;
  const inflight = new Set<Promise<void>>();
  const counts = { delivered: 0, redelivered: 0, acked: 0, reconnects: 0 };

  function onMessage(ch: ConfirmChannel, message: ConsumeMessage | null): void {
    // null: the broker cancelled the consumer (the queue was deleted); consume again from scratch.
    if (message === null) {
      lost('consumer_cancelled');
      return;
    }
    counts.delivered += 1;
    if (message.fields.redelivered) counts.redelivered += 1;
    const topic = routingKeyToMqttTopic(message.fields.routingKey);
    const work = ingest.handle(topic, message.content).then(
      () => {
        // On a channel that closed meanwhile the ack cannot be sent: the queue delivers the message again.
        if (ch !== channel) return;
        ch.ack(message);
        counts.acked += 1;
      },
      (error: unknown) => {
        log.error({ event: 'store_failed', err: error }, 'could not store a message; it stays in the queue');
        // Unacknowledged messages go back to the queue when the channel closes; reconnecting later
        // keeps a failing store from spinning on redeliveries.
        lost('store_failed');
      },
    );
    const tracked = work.catch(() => {});
    inflight.add(tracked);
    void tracked.finally(() => inflight.delete(tracked));
  }

  async function openOn(url: string): Promise<void> {
    const m = await deps.connect(url);
    try {
      m.on('error', (error: Error) => log.warn({ event: 'amqp_error', err: error.message }, 'broker connection error'));
      const ch = await m.createConfirmChannel();
      ch.on('error', (error: Error) => log.warn({ event: 'amqp_channel_error', err: error.message }, 'channel error'));
      await declareIngestQueue(ch, options.queue, options.topicRoot);
      await ch.prefetch(options.prefetch);
      model = m;
      channel = ch;
      m.on('close', () => {
        if (model === m) lost('connection_closed');
      });
      // A channel the broker closed (a protocol error) stops deliveries while the connection stays.
      ch.on('close', () => {
        if (channel === ch) lost('channel_closed');
      });
      const consumer = await ch.consume(options.queue, (msg) => onMessage(ch, msg), { noAck: false });
      consumerTag = consumer.consumerTag;
      log.info({ event: 'consuming', url: redactUrl(url), queue: options.queue }, 'consuming the ingest queue');
    } catch (error) {
      if (model === m) {
        model = null;
        channel = null;
      }
      await m.close().catch(() => {});
      throw error;
    }
  }

  /** Tries each node once, starting with the one after the last that failed. */
  async function open(): Promise<void> {
    let lastError: unknown = new Error('no AMQP URL configured');
    for (let i = 0; i < options.urls.length; i++) {
      const url = options.urls[(nextUrl + i) % options.urls.length] ?? '';
      try {
        await openOn(url);
        nextUrl = (nextUrl + i) % options.urls.length;
        return;
      } catch (error) {
        lastError = error;
        log.warn(
          { event: 'amqp_connect_failed', url: redactUrl(url), err: (error as Error).message },
          'node unreachable',
        );
      }
    }
    throw lastError;
  }

  function lost(reason: string): void {
    if (stopped || cancelRetry !== null) return;
    const old = model;
    model = null;
    channel = null;
    consumerTag = null;
    void old?.close().catch(() => {});
    nextUrl = (nextUrl + 1) % Math.max(1, options.urls.length);
    log.warn({ event: 'amqp_lost', reason }, 'lost the ingest queue; connecting again');
    const retry = guard(log, 'amqp_reconnect', async () => {
      cancelRetry = null;
      if (stopped) return;
      try {
        await open();
        counts.reconnects += 1;
      } catch {
        lost('reconnect_failed');
      }
    });
    cancelRetry = deps.after(options.reconnectMs, () => void retry());
  }

  return {
    async start() {
      stopped = false;
      await open();
    },
    publish(topic, payload) {
      const ch = channel;
      if (ch === null) return Promise.reject(new Error('not connected'));
      return new Promise<void>((resolve, reject) => {
        // Persistent, and QoS 1 for the MQTT subscriber the plugin delivers it to (the agent).
        ch.publish(
          MQTT_EXCHANGE,
          mqttTopicToRoutingKey(topic),
          payload,
          { persistent: true, headers: { 'x-mqtt-publish-qos': 1 } },
          (error: unknown) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve()),
        );
      });
    },
    async stop() {
      stopped = true;
      cancelRetry?.();
      cancelRetry = null;
      const ch = channel;
      // Stop deliveries, let the messages in flight commit and be acknowledged, then close.
      if (ch !== null && consumerTag !== null) await ch.cancel(consumerTag).catch(() => {});
      while (inflight.size > 0) await Promise.all(inflight);
      const m = model;
      model = null;
      channel = null;
      await m?.close().catch(() => {});
    },
    counters: () => ({ ...counts }),
  };
}
