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
}

export interface Subscriber {
  /** Resolves once connected and subscribed. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The collector's MQTT session. A message is acknowledged only after ingest has committed it:
 * mqtt.js sends the PUBACK when `handleMessage`'s callback runs, and handles one PUBLISH at a time.
 */
export function createSubscriber(options: SubscriberOptions, ingest: Ingest, log: Logger): Subscriber {
  let client: MqttClient | null = null;
  const filters = [siteTopicFilter(options.topicRoot, 'telemetry'), siteTopicFilter(options.topicRoot, 'status')];

  return {
    async start() {
      const c = mqtt.connect(options.url, {
        clientId: options.clientId,
        // A persistent session: while the collector is down the broker keeps its QoS 1 messages.
        clean: false,
        keepalive: options.keepaliveSec,
        reconnectPeriod: options.reconnectMs,
        ...(options.username === undefined ? {} : { username: options.username }),
        ...(options.password === undefined ? {} : { password: options.password }),
      });
      client = c;
      c.handleMessage = (packet, callback) => {
        const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
        ingest.handle(packet.topic, payload).then(
          () => callback(),
          (error: unknown) => {
            log.error({ event: 'store_failed', err: error }, 'could not store a message; it stays with the broker');
            callback(error as Error);
          },
        );
      };
      c.on(
        'error',
        guard(log, 'mqtt_error', (error: Error) =>
          log.warn({ event: 'mqtt_error', err: error.message }, 'broker connection error; retrying'),
        ),
      );
      c.on(
        'connect',
        guard(log, 'connect', () => log.info({ event: 'connected', url: options.url }, 'connected to broker')),
      );
      await c.subscribeAsync(filters, { qos: 1 });
      log.info({ event: 'subscribed', filters }, 'subscribed');
    },
    async stop() {
      const c = client;
      client = null;
      await c?.endAsync();
    },
  };
}
