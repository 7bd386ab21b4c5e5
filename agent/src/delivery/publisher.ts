import {
  encodePayload,
  fail,
  guard,
  type Logger,
  ok,
  type PayloadEncoding,
  type ResendReplyInput,
  type Result,
  type SampleInput,
  type SiteStatusInput,
  siteTopic,
} from '@pantau/shared';
import mqtt, { type MqttClient } from 'mqtt';
import type { Clock } from '../clock.js';
import { type Backoff, createBackoff } from './backoff.js';
import type { SpoolFault } from './spool/spool.js';

export interface PublisherOptions {
  readonly url: string;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  readonly keepaliveSec: number;
  readonly connectTimeoutMs: number;
  /** Reconnect waits: full jitter between 0 and a ceiling that doubles from `minMs` to `maxMs`. */
  readonly backoff: { readonly minMs: number; readonly maxMs: number };
  /** The first connection waits a random time up to this, so a fleet that boots together spreads out. */
  readonly startDelayMaxMs: number;
  readonly topicRoot: string;
  readonly siteId: string;
  readonly bootId: string;
  readonly agentVersion: string;
  readonly configHash: string;
  readonly encoding: PayloadEncoding;
  /** How long to wait for a PUBACK; past it the connection is treated as dead and replaced. */
  readonly ackTimeoutMs: number;
}

export interface SpoolState {
  readonly depth: number;
  readonly dropped: number;
  readonly fault: SpoolFault | null;
}

export interface PublisherDeps {
  readonly clock: Clock;
  readonly random: () => number;
  readonly log: Logger;
  /** Hands out the next connection epoch; durable, so it only grows. */
  readonly nextEpoch: () => number;
  readonly spoolState: () => SpoolState;
  /** Called each time a connection is up and the birth message is out. */
  readonly onConnected: () => void;
  /** Called when a connection that was up closes (not on `stop()`): the link state hears of it. */
  readonly onDisconnected?: () => void;
  /** A message on the site's resend topic (QoS 1; the broker keeps them while the site is away). */
  readonly onResendRequest: (payload: Buffer) => Promise<void>;
}

export type PublishErrorCode = 'not_connected' | 'ack_timeout' | 'publish_failed';

export interface PublishStats {
  readonly connects: number;
  readonly attempts: number;
  readonly epoch: number;
}

/**
 * The agent's MQTT connection, managed here rather than by mqtt.js (whose reconnect is a fixed
 * interval without jitter, and whose offline queue lives in memory): one mqtt.js client per attempt,
 * `reconnectPeriod: 0`, full-jitter backoff between attempts, a persistent session (`clean: false`,
 * a stable client id) so the broker keeps resend requests while the site is away. Each connection
 * has a new epoch; its will (offline, connection_lost, retained) carries it.
 */
export interface Publisher {
  start(): void;
  readonly connected: boolean;
  readonly stats: PublishStats;
  /** Resolves once the broker has acknowledged the batch (QoS 1), with the payload's size. */
  publishSamples(samples: readonly SampleInput[]): Promise<Result<number, PublishErrorCode>>;
  publishResendReply(reply: ResendReplyInput): Promise<Result<number, PublishErrorCode>>;
  /** Publishes the retained online status again, with the spool's state now (e.g. a disk fault). */
  publishStatus(): Promise<Result<number, PublishErrorCode>>;
  /** Publishes the retained `shutdown` status and closes the connection cleanly. */
  stop(): Promise<void>;
  /**
   * Bytes the connection sent and received since the last call, MQTT framing, acks and keepalives
   * included (the socket's own counters): the agent's cost on the link.
   */
  takeWireBytes(): { readonly txBytes: number; readonly rxBytes: number };
}

/** A connection that lasted this long counts as working: the backoff starts again from its base. */
const STABLE_CONNECTION_MS = 60_000;
/** MQTT 5: a Session Expiry Interval of 0xFFFFFFFF means the session does not expire. */
const SESSION_NEVER_EXPIRES = 0xffff_ffff;
/** CONNACK return code 1 (MQTT 3.1.1 §3.2.2.3), which mqtt.js gives as the error's `code`. */
const UNACCEPTABLE_PROTOCOL_VERSION = 1;

/** Byte counters of the socket under an mqtt.js client (net.Socket or tls.TLSSocket). */
interface CountingStream {
  readonly bytesWritten?: number;
  readonly bytesRead?: number;
}

export function createPublisher(options: PublisherOptions, deps: PublisherDeps): Publisher {
  // What each connection's socket has counted so far, and what is not yet taken.
  let wireSeen: { stream: unknown; tx: number; rx: number } = { stream: null, tx: 0, rx: 0 };
  const wirePending = { tx: 0, rx: 0 };
  function collectWire(c: MqttClient): void {
    const stream = c.stream as unknown as CountingStream | undefined;
    if (stream === undefined) return;
    if (wireSeen.stream !== stream) wireSeen = { stream, tx: 0, rx: 0 };
    const tx = stream.bytesWritten ?? 0;
    const rx = stream.bytesRead ?? 0;
    wirePending.tx += tx - wireSeen.tx;
    wirePending.rx += rx - wireSeen.rx;
    wireSeen.tx = tx;
    wireSeen.rx = rx;
  }
  const statusTopic = siteTopic(options.topicRoot, options.siteId, 'status');
  const telemetryTopic = siteTopic(options.topicRoot, options.siteId, 'telemetry');
  const resendTopic = siteTopic(options.topicRoot, options.siteId, 'resend');
  const replyTopic = siteTopic(options.topicRoot, options.siteId, 'resend-reply');
  const log = deps.log;
  const backoff: Backoff = createBackoff({ baseMs: options.backoff.minMs, capMs: options.backoff.maxMs }, deps.random);
  let client: MqttClient | null = null;
  let connected = false;
  /**
   * MQTT 5 until a broker refuses it: a 3.1.1 broker (the collector's embedded aedes) answers CONNACK
   * "unacceptable protocol version" (code 1, MQTT 3.1.1 §3.2.2.3), and from then on this publisher
   * speaks 3.1.1, at once and without a backoff wait.
   */
  let mqtt5 = true;
  let downgradeNow = false;
  let stopped = false;
  let cancelRetry = () => {};
  let epoch = -1;
  // An epoch is spent once a connection with it came up; failed attempts reuse it (no disk write).
  let epochSpent = true;
  let connects = 0;
  let attempts = 0;
  let connectedAtMs = 0;
  /** Waits for a PUBACK, by the client they wait on. */
  const onLost = new Map<() => void, MqttClient>();

  function status(state: 'online' | 'offline', reason: SiteStatusInput['reason'], atMs: number): Buffer {
    const spool = deps.spoolState();
    return encodePayload('status', {
      v: 1,
      siteId: options.siteId,
      state,
      reason,
      epoch,
      atMs,
      bootId: options.bootId,
      agentVersion: options.agentVersion,
      configHash: options.configHash,
      spoolDepth: spool.depth,
      droppedSamples: spool.dropped,
      spoolFault: spool.fault,
    });
  }

  function scheduleRetry(delayMs: number): void {
    if (stopped) return;
    cancelRetry();
    log.debug({ event: 'reconnect_scheduled', delayMs, attempt: backoff.attempts }, 'reconnecting later');
    cancelRetry = deps.clock.setTimer(delayMs, guard(log, 'reconnect', attempt));
  }

  function attempt(): void {
    if (stopped) return;
    attempts += 1;
    if (epochSpent) {
      epoch = deps.nextEpoch();
      epochSpent = false;
    }
    const now = Math.round(deps.clock.nowMs());
    const c = mqtt.connect(options.url, {
      clientId: `pantau-agent-${options.siteId}`,
      clean: false,
      ...(mqtt5
        ? {
            // Topic aliases: from the second message of a connection on, a topic (about 40 bytes)
            // travels as a 2-byte alias, which at 288 batches a day is a tenth of the data cost.
            protocolVersion: 5,
            autoAssignTopicAlias: true,
            // MQTT 5 ends a session with its connection unless told otherwise (MQTT 5 §3.1.2.11.2);
            // the broker must keep resend requests while the site is away, as a 3.1.1 session does.
            properties: { sessionExpiryInterval: SESSION_NEVER_EXPIRES },
          }
        : { protocolVersion: 4 }),
      keepalive: options.keepaliveSec,
      // Any packet sent resets the ping timer: the batches themselves keep the connection alive.
      reschedulePings: true,
      connectTimeout: options.connectTimeoutMs,
      reconnectPeriod: 0,
      queueQoSZero: false,
      // mqtt-packet otherwise pre-builds a Buffer for each of the 65,536 packet ids at the first
      // packet: ~6 MB of heap for ever (heap snapshot, `pnpm bench:agent`), to save a 2-byte write.
      writeCache: false,
      ...(options.username === undefined ? {} : { username: options.username }),
      ...(options.password === undefined ? {} : { password: options.password }),
      will: { topic: statusTopic, payload: status('offline', 'connection_lost', now), qos: 1, retain: true },
    });
    client = c;
    let closed = false;
    c.on(
      'connect',
      guard(log, 'connect', async (connack: { sessionPresent?: boolean }) => {
        if (client !== c) return;
        connected = true;
        epochSpent = true;
        connects += 1;
        connectedAtMs = deps.clock.monotonicMs();
        log.info({ event: 'connected', epoch, sessionPresent: connack.sessionPresent === true }, 'connected to broker');
        // The broker keeps subscriptions in a persistent session: subscribe only when it has none.
        if (connack.sessionPresent !== true) {
          // Without it the site still delivers; the collector's requests wait for the next session.
          await c.subscribeAsync(resendTopic, { qos: 1 }).catch((error: unknown) => {
            log.warn(
              { event: 'subscribe_failed', err: (error as Error).message },
              'cannot subscribe to resend requests',
            );
          });
        }
        const birth = await publish(statusTopic, status('online', 'connected', Math.round(deps.clock.nowMs())), true);
        if (!birth.ok) log.warn({ event: 'birth_failed', code: birth.code }, birth.message);
        deps.onConnected();
      }),
    );
    c.on(
      'message',
      guard(log, 'resend_request', async (topic: string, payload: Buffer) => {
        if (topic === resendTopic) await deps.onResendRequest(payload);
      }),
    );
    c.on(
      'close',
      guard(log, 'close', () => {
        if (closed) return;
        closed = true;
        collectWire(c);
        for (const [resolve, owner] of onLost) if (owner === c) resolve();
        if (client === c) {
          client = null;
          if (connected) {
            log.warn({ event: 'disconnected', epoch }, 'lost the broker connection');
            if (!stopped) deps.onDisconnected?.();
          }
          // Only a connection that lasted starts the waits again from the base: one the broker
          // accepts and drops at once (a duplicate client id, an ACL) keeps backing off.
          if (connected && deps.clock.monotonicMs() - connectedAtMs >= STABLE_CONNECTION_MS) backoff.reset();
          connected = false;
        }
        if (stopped) return;
        // Drop whatever mqtt.js still holds in memory; the spool has every unacknowledged sample.
        c.end(true);
        // A refused MQTT 5 is not a failure to back off from: 3.1.1 is tried at once.
        scheduleRetry(downgradeNow ? 0 : backoff.next());
        downgradeNow = false;
      }),
    );
    c.on(
      'error',
      guard(log, 'mqtt_error', (error: Error & { code?: unknown }) => {
        if (mqtt5 && !connected && error.code === UNACCEPTABLE_PROTOCOL_VERSION) {
          mqtt5 = false;
          downgradeNow = true;
          log.info({ event: 'mqtt_downgrade', epoch }, 'the broker does not speak MQTT 5: using MQTT 3.1.1');
          return;
        }
        log.warn({ event: 'mqtt_error', err: error.message, epoch }, 'broker connection error');
      }),
    );
  }

  async function publish(
    topic: string,
    payload: Buffer,
    retain: boolean,
    ackTimeoutMs = options.ackTimeoutMs,
  ): Promise<Result<number, PublishErrorCode>> {
    // Never hand telemetry to mqtt.js while offline: its offline queue lives in memory only.
    const c = client;
    if (c === null || !connected) return fail('not_connected', 'not connected to the broker');
    let cancel = () => {};
    let lost = (): void => {};
    const timeout = new Promise<Result<number, PublishErrorCode>>((resolve) => {
      cancel = deps.clock.setTimer(ackTimeoutMs, () =>
        resolve(fail('ack_timeout', `no PUBACK within ${ackTimeoutMs} ms`)),
      );
      // With `clean: false` mqtt.js keeps an unacknowledged publish for a reconnection that this
      // client will never make: end the wait as soon as its connection is gone.
      lost = () => resolve(fail('not_connected', 'the connection closed before the PUBACK'));
      onLost.set(lost, c);
    });
    const sent = c
      .publishAsync(topic, payload, { qos: 1, retain })
      .then(() => ok(payload.byteLength))
      .catch((error: unknown) => fail('publish_failed' as const, (error as Error).message));
    try {
      const result = await Promise.race([sent, timeout]);
      // A missing PUBACK means a dead link the socket has not noticed: replace the connection.
      if (!result.ok && result.code === 'ack_timeout' && client === c) c.stream.destroy();
      return result;
    } finally {
      cancel();
      onLost.delete(lost);
    }
  }

  return {
    takeWireBytes() {
      if (client !== null) collectWire(client);
      const taken = { txBytes: wirePending.tx, rxBytes: wirePending.rx };
      wirePending.tx = 0;
      wirePending.rx = 0;
      return taken;
    },
    start() {
      const delayMs = Math.round(deps.random() * options.startDelayMaxMs);
      if (delayMs === 0) attempt();
      else scheduleRetry(delayMs);
    },
    get connected() {
      return connected;
    },
    get stats() {
      return { connects, attempts, epoch };
    },
    publishSamples(samples) {
      const payload = encodePayload(
        'telemetry',
        {
          v: 1,
          siteId: options.siteId,
          agentVersion: options.agentVersion,
          sentAtMs: Math.round(deps.clock.nowMs()),
          samples: [...samples],
        },
        options.encoding,
      );
      return publish(telemetryTopic, payload, false);
    },
    publishResendReply(reply) {
      return publish(replyTopic, encodePayload('resend-reply', reply), false);
    },
    publishStatus() {
      return publish(statusTopic, status('online', 'connected', Math.round(deps.clock.nowMs())), true);
    },
    async stop() {
      stopped = true;
      cancelRetry();
      const c = client;
      if (c === null) return;
      if (connected) {
        // Bounded: a dead link must not hold up a shutdown (systemd kills after 90 s).
        const goodbye = await publish(
          statusTopic,
          status('offline', 'shutdown', Math.round(deps.clock.nowMs())),
          true,
          Math.min(options.ackTimeoutMs, 5000),
        );
        if (!goodbye.ok) log.warn({ event: 'shutdown_status_failed', code: goodbye.code }, goodbye.message);
      }
      client = null;
      connected = false;
      // A clean DISCONNECT: the broker discards the will.
      await c.endAsync();
    },
  };
}
