import {
  encodePayload,
  fail,
  guard,
  type Logger,
  ok,
  type Result,
  type SampleInput,
  type SiteStatusInput,
  siteTopic,
} from '@pantau/shared';
import mqtt, { type MqttClient } from 'mqtt';
import type { Clock } from '../clock.js';

export interface PublisherOptions {
  readonly url: string;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  readonly keepaliveSec: number;
  readonly connectTimeoutMs: number;
  readonly reconnectMs: number;
  readonly topicRoot: string;
  readonly siteId: string;
  readonly bootId: string;
  readonly agentVersion: string;
  readonly configHash: string;
  /** How long to wait for a PUBACK before the batch is treated as not delivered. */
  readonly ackTimeoutMs: number;
}

export interface PublisherDeps {
  readonly clock: Clock;
  readonly log: Logger;
  /** Hands out the next connection epoch; durable, so it only grows. */
  readonly nextEpoch: () => number;
  /** Spool depth and drops, for the status message. */
  readonly outboxState: () => { depth: number; dropped: number };
  /** Called each time a connection is up and the birth message is out. */
  readonly onConnected: () => void;
}

export type PublishErrorCode = 'not_connected' | 'ack_timeout' | 'publish_failed';

/** The agent's one MQTT connection: birth and will, telemetry batches, clean shutdown. */
export interface Publisher {
  start(): void;
  readonly connected: boolean;
  /** Resolves once the broker has acknowledged the batch (QoS 1). */
  publishSamples(samples: readonly SampleInput[]): Promise<Result<void, PublishErrorCode>>;
  /** Publishes the retained `shutdown` status and closes the connection. */
  stop(): Promise<void>;
}

export function createPublisher(options: PublisherOptions, deps: PublisherDeps): Publisher {
  const statusTopic = siteTopic(options.topicRoot, options.siteId, 'status');
  const telemetryTopic = siteTopic(options.topicRoot, options.siteId, 'telemetry');
  let client: MqttClient | null = null;
  let epoch = deps.nextEpoch();
  // An epoch is spent once a connection with it came up; failed attempts reuse it (no disk write).
  let epochSpent = false;
  const log = deps.log;

  function status(state: 'online' | 'offline', reason: SiteStatusInput['reason']): Buffer {
    const { depth, dropped } = deps.outboxState();
    return encodePayload('status', {
      v: 1,
      siteId: options.siteId,
      state,
      reason,
      epoch,
      atMs: Math.round(deps.clock.nowMs()),
      bootId: options.bootId,
      agentVersion: options.agentVersion,
      configHash: options.configHash,
      spoolDepth: depth,
      droppedSamples: dropped,
    });
  }

  async function publish(topic: string, payload: Buffer, retain: boolean): Promise<Result<void, PublishErrorCode>> {
    // Never hand telemetry to mqtt.js while offline: its offline queue lives in memory only.
    if (client === null || !client.connected) return fail('not_connected', 'not connected to the broker');
    let cancel = () => {};
    const timeout = new Promise<Result<void, PublishErrorCode>>((resolve) => {
      cancel = deps.clock.setTimer(options.ackTimeoutMs, () =>
        resolve(fail('ack_timeout', `no PUBACK within ${options.ackTimeoutMs} ms`)),
      );
    });
    const sent = client
      .publishAsync(topic, payload, { qos: 1, retain })
      .then(() => ok(undefined))
      .catch((error: unknown) => fail('publish_failed' as const, (error as Error).message));
    try {
      return await Promise.race([sent, timeout]);
    } finally {
      cancel();
    }
  }

  return {
    start() {
      const c = mqtt.connect(options.url, {
        clientId: `pantau-agent-${options.siteId}`,
        clean: true,
        keepalive: options.keepaliveSec,
        connectTimeout: options.connectTimeoutMs,
        reconnectPeriod: options.reconnectMs,
        ...(options.username === undefined ? {} : { username: options.username }),
        ...(options.password === undefined ? {} : { password: options.password }),
        will: { topic: statusTopic, payload: status('offline', 'connection_lost'), qos: 1, retain: true },
      });
      client = c;
      c.on(
        'connect',
        guard(log, 'connect', async () => {
          epochSpent = true;
          log.info({ event: 'connected', epoch, url: options.url }, 'connected to broker');
          const birth = await publish(statusTopic, status('online', 'connected'), true);
          if (!birth.ok) log.warn({ event: 'birth_failed', code: birth.code }, birth.message);
          deps.onConnected();
        }),
      );
      c.on(
        'close',
        guard(log, 'close', () => {
          // The next connection gets a new epoch, and its will says so.
          if (!epochSpent) return;
          epoch = deps.nextEpoch();
          epochSpent = false;
          if (c.options.will !== undefined) c.options.will.payload = status('offline', 'connection_lost');
        }),
      );
      c.on(
        'error',
        guard(log, 'mqtt_error', (error: Error) =>
          log.warn({ event: 'mqtt_error', err: error.message }, 'broker connection error; retrying'),
        ),
      );
    },
    get connected() {
      return client?.connected ?? false;
    },
    async publishSamples(samples) {
      const payload = encodePayload('telemetry', {
        v: 1,
        siteId: options.siteId,
        agentVersion: options.agentVersion,
        sentAtMs: Math.round(deps.clock.nowMs()),
        samples: [...samples],
      });
      return publish(telemetryTopic, payload, false);
    },
    async stop() {
      const c = client;
      client = null;
      if (c === null) return;
      if (c.connected) {
        client = c;
        const goodbye = await publish(statusTopic, status('offline', 'shutdown'), true);
        client = null;
        if (!goodbye.ok) log.warn({ event: 'shutdown_status_failed', code: goodbye.code }, goodbye.message);
      }
      // A clean DISCONNECT: the broker discards the will.
      await c.endAsync();
    },
  };
}
