import {
  encodePayload,
  fail,
  guard,
  type HostInventory,
  type PayloadEncoding,
  type ResendReplyInput,
  type Result,
  type SampleInput,
  siteTopic,
} from '@pantau/shared';
import { type PublishErrorCode, publishAcked, type UpLink } from './acked-publish.js';
import { type ConnectionDeps, type ConnectionOptions, type ConnectionStats, createConnection } from './connection.js';
import { encodeSiteStatus, type SiteIdentity, type SpoolState } from './site-status.js';
import { createWireMeter, type SocketBytes } from './wire-meter.js';

/** The connection's options (its client id comes from the site id), the site, and its messages'. */
export interface PublisherOptions extends SiteIdentity, Omit<ConnectionOptions, 'clientId'> {
  readonly topicRoot: string;
  readonly encoding: PayloadEncoding;
  /** How long to wait for a PUBACK; past it the connection is treated as dead and replaced. */
  readonly ackTimeoutMs: number;
}

/** The connection's IO, and the spool's state for the status messages. */
export interface PublisherDeps extends Pick<ConnectionDeps, 'clock' | 'random' | 'log' | 'connect' | 'nextEpoch'> {
  readonly spoolState: () => SpoolState;
  /** The host's inventory for the status messages; null until the agent has looked. */
  readonly inventory?: () => HostInventory | null;
}

/** What the rest of the agent hears from the connection. */
export interface PublisherListener {
  /** A connection is up and the birth message is out. */
  readonly connected?: () => unknown;
  /** A connection that was up closed (not on `stop()`). */
  readonly disconnected?: () => void;
  /** A message on the site's resend topic (QoS 1; the broker keeps them while the site is away). */
  readonly resendRequest?: (payload: Buffer) => Promise<void>;
}

export type { PublishErrorCode } from './acked-publish.js';
export type PublishStats = ConnectionStats;

/** The site's side of the MQTT contract: its batches, resend replies and retained status. */
export interface Publisher {
  start(): void;
  /** Adds a listener; the returned function removes it. */
  listen(listener: PublisherListener): () => void;
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
  takeWireBytes(): SocketBytes;
}

/** The goodbye must not hold up a shutdown on a dead link (systemd kills after 90 s). */
const GOODBYE_ACK_TIMEOUT_MS = 5000;

export function createPublisher(options: PublisherOptions, deps: PublisherDeps): Publisher {
  const { clock, log } = deps;
  const statusTopic = siteTopic(options.topicRoot, options.siteId, 'status');
  const telemetryTopic = siteTopic(options.topicRoot, options.siteId, 'telemetry');
  const resendTopic = siteTopic(options.topicRoot, options.siteId, 'resend');
  const replyTopic = siteTopic(options.topicRoot, options.siteId, 'resend-reply');
  const listeners = new Set<PublisherListener>();
  let ready: UpLink | null = null;
  let birthOut: Promise<void> = Promise.resolve();
  const wire = createWireMeter();
  const status = (state: 'online' | 'offline', reason: 'connected' | 'connection_lost' | 'shutdown', epoch: number) =>
    encodeSiteStatus(
      options,
      deps.spoolState(),
      { state, reason, epoch, atMs: clock.nowMs() },
      deps.inventory?.() ?? null,
    );

  const connection = createConnection(
    { ...options, clientId: `pantau-agent-${options.siteId}` },
    {
      clock,
      random: deps.random,
      log,
      connect: deps.connect,
      nextEpoch: deps.nextEpoch,
      will: (epoch) => ({ topic: statusTopic, payload: status('offline', 'connection_lost', epoch) }),
      wire,
      async onUp(up, sessionPresent) {
        birthOut = sayOnline(up, sessionPresent);
        await birthOut;
        for (const listener of listeners) await listener.connected?.();
      },
      onDown() {
        for (const listener of listeners) listener.disconnected?.();
      },
      async onMessage(topic, payload) {
        if (topic !== resendTopic) return;
        // A request the broker kept for the site arrives at once; it is answered after `online`.
        await birthOut;
        for (const listener of listeners) await listener.resendRequest?.(payload);
      },
    },
  );

  /** Subscribes where the session has no subscription, then says `online` (the birth message). */
  async function sayOnline(up: UpLink, sessionPresent: boolean): Promise<void> {
    // The broker keeps subscriptions in a persistent session: subscribe only when it has none.
    if (!sessionPresent) {
      // Without it the site still delivers; the collector's requests wait for the next session.
      await up.link.subscribe(resendTopic).catch((error: unknown) => {
        log.warn({ event: 'subscribe_failed', err: (error as Error).message }, 'cannot subscribe to resend requests');
      });
    }
    const birth = await publishAcked(
      up,
      clock,
      { topic: statusTopic, payload: status('online', 'connected', up.epoch), retain: true },
      options.ackTimeoutMs,
    );
    if (!birth.ok) log.warn({ event: 'birth_failed', code: birth.code }, birth.message);
    ready = up;
  }

  /** The connection up, once its birth message is out: nothing else goes before `online`. */
  function readyLink(): UpLink | null {
    const up = connection.up;
    return up !== null && up === ready ? up : null;
  }

  function publish(topic: string, payload: Buffer, retain: boolean): Promise<Result<number, PublishErrorCode>> {
    // Never hand telemetry to mqtt.js while offline: its offline queue lives in memory only.
    const up = readyLink();
    if (up === null) return Promise.resolve(fail('not_connected', 'not connected to the broker'));
    return publishAcked(up, clock, { topic, payload, retain }, options.ackTimeoutMs);
  }

  return {
    start() {
      connection.start();
    },
    listen(listener) {
      // Each listener on its own: one that fails is logged, and the others still hear the news.
      const guarded: PublisherListener = {
        connected: guard(log, 'on_connected', () => listener.connected?.()),
        disconnected: guard(log, 'on_disconnected', () => listener.disconnected?.()),
        resendRequest: guard(log, 'resend_request', async (payload: Buffer) => listener.resendRequest?.(payload)),
      };
      listeners.add(guarded);
      return () => listeners.delete(guarded);
    },
    get connected() {
      return readyLink() !== null;
    },
    get stats() {
      return connection.stats;
    },
    publishSamples(samples) {
      const payload = encodePayload(
        'telemetry',
        {
          v: 1,
          siteId: options.siteId,
          agentVersion: options.agentVersion,
          sentAtMs: Math.round(clock.nowMs()),
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
      return publish(statusTopic, status('online', 'connected', readyLink()?.epoch ?? connection.stats.epoch), true);
    },
    async stop() {
      const up = connection.stop();
      if (up === null) return;
      const goodbye = await publishAcked(
        up,
        clock,
        { topic: statusTopic, payload: status('offline', 'shutdown', up.epoch), retain: true },
        Math.min(options.ackTimeoutMs, GOODBYE_ACK_TIMEOUT_MS),
      );
      if (!goodbye.ok) {
        log.warn({ event: 'shutdown_status_failed', code: goodbye.code }, goodbye.message);
        // mqtt.js ends cleanly only once every publish is acknowledged, and this one never will be.
        up.link.abandon();
        return;
      }
      // A clean DISCONNECT: the broker discards the will.
      await up.link.end();
    },
    takeWireBytes() {
      const up = connection.up;
      if (up !== null) wire.observe(up.link, up.link.socketBytes());
      return wire.take();
    },
  };
}
