import { guard, type Logger, siteTopicFilter } from '@pantau/shared';
import mqtt, { type MqttClient } from 'mqtt';
import type { Ingest } from './ingest.js';

export interface SubscriberOptions {
  readonly url: string;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  readonly clientId: string;
  readonly keepaliveSec: number;
  readonly reconnectMs: number;
  readonly topicRoot: string;
  /** `$share/<group>/` for telemetry and resend replies; several collectors then split the load. */
  readonly shareGroup?: string | undefined;
  /** Connections sharing the subscription (default 1); more than one implies a share group. */
  readonly connections?: number | undefined;
  /** Told when the first connection (the one with statuses) is lost and when it is back. */
  readonly onConnection?: ((up: boolean) => void) | undefined;
}

export interface Subscriber {
  /** Resolves once every connection is connected and subscribed. */
  start(): Promise<void>;
  /** Publishes QoS 1 on the first connection (resend requests, alerts); resolves on the broker's PUBACK. */
  publish(topic: string, payload: Buffer, options?: { readonly retain?: boolean }): Promise<void>;
  stop(): Promise<void>;
  /** What the input itself counted (deliveries, redeliveries), where it counts anything. */
  counters?(): Readonly<Record<string, number>>;
}

/** The subscription filters: shared ones for the load, status unshared (every collector keeps every status). */
export function subscriptionFilters(topicRoot: string, shareGroup: string | undefined): string[] {
  const share = (filter: string) => (shareGroup === undefined ? filter : `$share/${shareGroup}/${filter}`);
  return [
    share(siteTopicFilter(topicRoot, 'telemetry')),
    share(siteTopicFilter(topicRoot, 'resend-reply')),
    siteTopicFilter(topicRoot, 'status'),
  ];
}

/** Subscribes QoS 1; a filter the broker refuses (granted 0x80) is an error, not a silent gap. */
async function subscribe(c: MqttClient, filters: string[]): Promise<void> {
  const granted = await c.subscribeAsync(filters, { qos: 1 });
  const refused = granted.filter((g) => g.qos === 0x80).map((g) => g.topic);
  if (refused.length > 0) throw new Error(`the broker refused the subscription to ${refused.join(', ')}`);
}

/**
 * The collector's MQTT sessions. A message is acknowledged only after ingest has committed it:
 * mqtt.js sends the PUBACK when `handleMessage`'s callback runs, and handles one PUBLISH per
 * connection at a time.
 */
export function createSubscriber(options: SubscriberOptions, ingest: Ingest, log: Logger): Subscriber {
  const count = options.connections ?? 1;
  const shareGroup = options.shareGroup ?? (count > 1 ? options.clientId : undefined);
  let clients: MqttClient[] = [];
  let stopping = false;
  let storeFailures = 0;

  async function connectOne(index: number): Promise<MqttClient> {
    const clientId = index === 0 ? options.clientId : `${options.clientId}-${index}`;
    const c = mqtt.connect(options.url, {
      clientId,
      // A persistent session: while the collector is down the broker keeps its QoS 1 messages.
      clean: false,
      // We subscribe again ourselves when the broker lost the session (below): one owner of the
      // subscription, logged, and not tied to mqtt.js's conditions for its own resubscribe.
      resubscribe: false,
      keepalive: options.keepaliveSec,
      reconnectPeriod: options.reconnectMs,
      ...(options.username === undefined ? {} : { username: options.username }),
      ...(options.password === undefined ? {} : { password: options.password }),
    });
    // Set when we drop the connection ourselves so the broker delivers a message again.
    let redelivering = false;
    c.handleMessage = (packet, callback) => {
      const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
      ingest.handle(packet.topic, payload).then(
        () => callback(),
        (error: unknown) => {
          // No PUBACK: the broker keeps the message, but it sends an unacknowledged message again
          // only on a new connection (MQTT 3.1.1 §4.4), and mqtt.js goes on to the next one. Left
          // so, the message would wait for the next reconnect, however far off: drop the connection
          // now, and the reconnect (after `reconnectMs`, which paces a store that keeps failing)
          // brings it back; what this connection stored meanwhile comes back as duplicates.
          storeFailures += 1;
          log.error(
            { event: 'store_failed', clientId, err: error },
            'could not store a message; reconnecting so the broker delivers it again',
          );
          callback(error as Error);
          if (!stopping && !redelivering) {
            redelivering = true;
            c.stream.destroy();
          }
        },
      );
    };
    // mqtt.js takes the connection for dead when no acknowledgement or PINGRESP has been handled
    // for 1.5 keepalives. It handles packets in order, one PUBLISH at a time until its commit, so
    // under a backlog the PINGRESP waits behind the broker's in-flight window and a busy but
    // healthy connection was dropped every 45 s, each time bringing the window back as duplicates.
    // A PUBLISH handled proves the broker alive just as well.
    c.on('packetreceive', (packet) => {
      if (packet.cmd === 'publish') c.reschedulePing(true);
    });
    c.on(
      'error',
      guard(log, 'mqtt_error', (error: Error) =>
        log.warn({ event: 'mqtt_error', err: error.message }, 'broker connection error; retrying'),
      ),
    );
    const all = subscriptionFilters(options.topicRoot, shareGroup);
    // Statuses on the first connection only; a retained status would otherwise arrive once per connection.
    const filters = index === 0 ? all : all.slice(0, 2);
    let connects = 0;
    // Set when the broker answered without our session, until a subscribe succeeds.
    let mustSubscribe = false;
    let lost = false;
    c.on(
      'close',
      guard(log, 'close', () => {
        // The close we caused for a redelivery is not a lost broker; a later one (the reconnect failing) is.
        if (redelivering) {
          redelivering = false;
          return;
        }
        if (index !== 0 || lost || connects === 0 || stopping) return;
        lost = true;
        log.warn({ event: 'broker_connection_lost', clientId }, 'lost the broker connection; reconnecting');
        options.onConnection?.(false);
      }),
    );
    c.on(
      'connect',
      guard(log, 'connect', (connack: { sessionPresent?: boolean }) => {
        connects += 1;
        log.info({ event: 'connected', url: options.url, clientId }, 'connected to broker');
        if (lost) {
          lost = false;
          options.onConnection?.(true);
        }
        if (connects === 1) return;
        // MQTT 3.1.1 §3.2.2.2: sessionPresent = 0 on a clean:false connect means the broker has no
        // session for us (it restarted without persistence, or expired it): no subscription, and the
        // QoS 1 messages it had queued for us are gone (the gap tracker asks the sites for them).
        if (connack.sessionPresent !== true) {
          mustSubscribe = true;
          log.warn({ event: 'session_lost', clientId }, 'the broker lost our session; subscribing again');
        }
        // Mosquitto 2.0 does not save shared subscriptions: after its restart it answers
        // sessionPresent = 1 for a session that has lost them. Subscribing again is idempotent.
        if (shareGroup !== undefined) mustSubscribe = true;
        if (!mustSubscribe) return;
        subscribe(c, filters).then(
          () => {
            mustSubscribe = false;
            log.info({ event: 'subscribed', filters, clientId }, 'subscribed again');
          },
          (error: unknown) => {
            // The broker now holds a session without our subscription, so the next connect may say
            // sessionPresent = 1: `mustSubscribe` stays set, and dropping the connection retries.
            log.error({ event: 'resubscribe_failed', clientId, err: error }, 'could not subscribe again; reconnecting');
            c.stream.destroy();
          },
        );
      }),
    );
    await subscribe(c, filters);
    log.info({ event: 'subscribed', filters, clientId }, 'subscribed');
    return c;
  }

  return {
    async start() {
      const started = await Promise.allSettled(Array.from({ length: count }, (_, i) => connectOne(i)));
      clients = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
      const failed = started.find((s) => s.status === 'rejected');
      if (failed !== undefined) {
        await Promise.all(clients.map((c) => c.endAsync()));
        clients = [];
        throw (failed as PromiseRejectedResult).reason;
      }
    },
    async publish(topic, payload, publishOptions) {
      const c = clients[0];
      if (c === undefined) throw new Error('not connected');
      await c.publishAsync(topic, payload, { qos: 1, retain: publishOptions?.retain === true });
    },
    counters: () => ({ storeFailures }),
    async stop() {
      stopping = true;
      const all = clients;
      clients = [];
      await Promise.all(all.map((c) => c.endAsync()));
    },
  };
}
