import { guard, type Logger } from '@pantau/shared';
import type { Clock } from '../../clock.js';
import type { UpLink } from './acked-publish.js';
import { BROKER_TLS_FIX } from './broker-tls.js';
import type { MqttConnect, MqttLink } from './mqtt-link.js';
import { createProtocolVersion } from './protocol-version.js';
import { attemptOutcome, createReconnectPolicy, type ReconnectOptions } from './reconnect-policy.js';
import type { WireMeter } from './wire-meter.js';

export interface ConnectionOptions {
  readonly url: string;
  readonly clientId: string;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  /** The pinned CA of an mqtts:// broker (broker-tls.ts). */
  readonly ca?: Buffer | undefined;
  readonly keepaliveSec: number;
  readonly connectTimeoutMs: number;
  /** Reconnect waits (reconnect-policy.ts). */
  readonly backoff: ReconnectOptions;
  /** The first attempt waits a random time up to this, so a fleet that boots together spreads out. */
  readonly startDelayMaxMs: number;
  /** `3.1.1` skips the MQTT 5 attempt (protocol-version.ts); default `auto`. */
  readonly protocol?: 'auto' | '3.1.1' | undefined;
}

export interface ConnectionDeps {
  readonly clock: Clock;
  readonly random: () => number;
  readonly log: Logger;
  readonly connect: MqttConnect;
  /** Hands out the next connection epoch; durable, so it only grows. */
  readonly nextEpoch: () => number;
  /** The will registered with a connection of this epoch (retained, QoS 1). */
  readonly will: (epoch: number) => { readonly topic: string; readonly payload: Buffer };
  /** Counts each connection's bytes, to its last one. */
  readonly wire: WireMeter;
  /** A connection is up: subscribe, say `online`. */
  readonly onUp: (up: UpLink, sessionPresent: boolean) => Promise<void>;
  /** A connection that was up closed (not on `stop()`). */
  readonly onDown: () => void;
  readonly onMessage: (topic: string, payload: Buffer) => Promise<void>;
}

export interface ConnectionStats {
  readonly connects: number;
  readonly attempts: number;
  readonly epoch: number;
}

/**
 * The agent's connection to the broker, managed here rather than by mqtt.js (whose reconnect is a
 * fixed interval without jitter, and whose offline queue lives in memory): one link per attempt,
 * full-jitter backoff between attempts, a stable client id and a persistent session so the broker
 * keeps resend requests while the site is away. Each connection has a new epoch, carried by its will.
 */
export interface Connection {
  start(): void;
  /** The connection the broker accepted, or null. */
  readonly up: UpLink | null;
  readonly stats: ConnectionStats;
  /** Stops reconnecting; hands back the link that is up (for a clean goodbye), if any. */
  stop(): UpLink | null;
}

/** A connection that lasted this long counts as working: the backoff starts again from its base. */
const STABLE_CONNECTION_MS = 60_000;

export function createConnection(options: ConnectionOptions, deps: ConnectionDeps): Connection {
  const { clock, log } = deps;
  const protocol = createProtocolVersion(log, options.protocol === '3.1.1' ? 4 : 5);
  const policy = createReconnectPolicy(options.backoff, deps.random);
  let stopped = false;
  let cancelRetry = () => {};
  let current: MqttLink | null = null;
  let up: UpLink | null = null;
  let epoch = -1;
  // An epoch is spent once a connection with it came up; failed attempts reuse it (no disk write).
  let epochSpent = true;
  let connects = 0;
  let attempts = 0;

  function scheduleRetry(delayMs: number): void {
    if (stopped) return;
    cancelRetry();
    log.debug({ event: 'reconnect_scheduled', delayMs, attempt: policy.attempts }, 'reconnecting later');
    cancelRetry = clock.setTimer(delayMs, guard(log, 'reconnect', attempt));
  }

  /** Whatever goes wrong in starting an attempt, another follows after a backoff wait. */
  function attempt(): void {
    if (stopped) return;
    try {
      startAttempt();
    } catch (error) {
      log.error({ event: 'connect_attempt_failed', err: error }, 'could not start a connection attempt: retrying');
      current = null;
      scheduleRetry(policy.waitAfter('unreachable'));
    }
  }

  function startAttempt(): void {
    attempts += 1;
    if (epochSpent) {
      epoch = deps.nextEpoch();
      epochSpent = false;
    }
    const attemptEpoch = epoch;
    const lost = new AbortController();
    let accepted = false;
    let acceptedAtMs = 0;
    let downgraded = false;
    let refusedCode: number | null = null;
    let untrusted = false;
    let disconnectReason: number | null = null;
    let closed = false;
    const link = deps.connect(
      options.url,
      {
        clientId: options.clientId,
        protocolVersion: protocol.current,
        keepaliveSec: options.keepaliveSec,
        connectTimeoutMs: options.connectTimeoutMs,
        username: options.username,
        password: options.password,
        ca: options.ca,
        will: deps.will(attemptEpoch),
      },
      {
        connect: guard(log, 'connect', async (sessionPresent: boolean) => {
          if (current !== link || closed) return;
          accepted = true;
          acceptedAtMs = clock.monotonicMs();
          epochSpent = true;
          connects += 1;
          const linkUp: UpLink = { link, epoch: attemptEpoch, lost: lost.signal };
          up = linkUp;
          log.info({ event: 'connected', epoch: attemptEpoch, sessionPresent }, 'connected to broker');
          await deps.onUp(linkUp, sessionPresent);
        }),
        message: guard(log, 'mqtt_message', (topic: string, payload: Buffer) => deps.onMessage(topic, payload)),
        error(error) {
          if (!accepted && protocol.refused(error.code)) {
            downgraded = true;
            return;
          }
          if (!accepted) refusedCode = error.code;
          if (error.tls !== null) {
            // A broker the pinned CA does not vouch for is not one to hammer; a clock still in the
            // past (a Pi before NTP) is retried like an outage.
            untrusted = error.tls === 'broker_untrusted';
            log.warn(
              { event: 'mqtt_error', code: error.tls, err: error.message, epoch: attemptEpoch },
              BROKER_TLS_FIX[error.tls],
            );
            return;
          }
          log.warn({ event: 'mqtt_error', err: error.message, epoch: attemptEpoch }, 'broker connection error');
        },
        disconnect(reasonCode) {
          disconnectReason = reasonCode;
          log.info({ event: 'broker_disconnect', reasonCode, epoch: attemptEpoch }, 'the broker ended the connection');
        },
        close: guard(log, 'close', () => {
          if (closed) return;
          closed = true;
          deps.wire.observe(link, link.socketBytes());
          lost.abort();
          if (current === link) {
            current = null;
            up = null;
            if (accepted) {
              log.warn({ event: 'disconnected', epoch: attemptEpoch }, 'lost the broker connection');
              if (!stopped) deps.onDown();
            }
          }
          if (stopped) return;
          // Drop whatever mqtt.js still holds in memory; the spool has every unacknowledged sample.
          link.abandon();
          // Only a connection that lasted starts the waits again from the base: one the broker
          // accepts and drops at once (a duplicate client id, an ACL) keeps backing off.
          const outcome = attemptOutcome({
            refusedCode,
            untrusted,
            disconnectReason,
            upMs: accepted ? clock.monotonicMs() - acceptedAtMs : null,
            stableMs: STABLE_CONNECTION_MS,
          });
          // A refused MQTT 5 is not a failure to back off from: 3.1.1 is tried at once.
          scheduleRetry(downgraded ? 0 : policy.waitAfter(outcome));
        }),
      },
    );
    current = link;
  }

  return {
    start() {
      const delayMs = Math.round(deps.random() * options.startDelayMaxMs);
      if (delayMs === 0) attempt();
      else scheduleRetry(delayMs);
    },
    get up() {
      return up;
    },
    get stats() {
      return { connects, attempts, epoch };
    },
    stop() {
      stopped = true;
      cancelRetry();
      const wasUp = up;
      if (current !== null) deps.wire.observe(current, current.socketBytes());
      if (wasUp === null && current !== null) current.abandon();
      current = null;
      up = null;
      return wasUp;
    },
  };
}
