import { randomUUID } from 'node:crypto';
import { fail, ok, type Result, siteTopic } from '@pantau/shared';
import mqtt from 'mqtt';
import { type BrokerTlsCode, brokerTlsCode } from '../delivery/mqtt/broker-tls.js';

export type BrokerCheckCode =
  | 'broker_unreachable'
  | 'broker_refused'
  | 'round_trip_timeout'
  | 'broker_taken_over'
  | BrokerTlsCode;

export interface BrokerCheckOptions {
  readonly url: string;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  /** The pinned CA of an mqtts:// broker. */
  readonly ca?: Buffer | undefined;
  readonly topicRoot: string;
  readonly siteId: string;
  readonly timeoutMs: number;
}

/**
 * Connects with the site's credentials, subscribes to the site's `check` topic and publishes a
 * nonce to it: the message coming back proves login, the ACL for this site and a round trip.
 *
 * It asks for its own client id, but a broker that binds the client id to the login (Mosquitto's
 * `use_username_as_clientid`, as deploy/mosquitto ships it) gives every connection of a site the
 * same one, and a second connection replaces the first. So a running agent and the check take the
 * connection from each other: when the broker closes the check's connection before the echo, the
 * check says so at once instead of waiting for its timeout.
 */
export function brokerRoundTrip(
  options: BrokerCheckOptions,
): Promise<Result<{ roundTripMs: number }, BrokerCheckCode>> {
  const topic = siteTopic(options.topicRoot, options.siteId, 'check');
  const nonce = randomUUID();
  const startedMs = performance.now();
  const client = mqtt.connect(options.url, {
    clientId: `pantau-check-${options.siteId}-${nonce.slice(0, 8)}`,
    clean: true,
    reconnectPeriod: 0,
    connectTimeout: options.timeoutMs,
    // No 65,536-buffer packet-id cache (see the publisher).
    writeCache: false,
    ...(options.username === undefined ? {} : { username: options.username }),
    ...(options.password === undefined ? {} : { password: options.password }),
    ...(options.ca === undefined ? {} : { ca: options.ca }),
    rejectUnauthorized: true,
  });
  let connected = false;
  return new Promise<Result<{ roundTripMs: number }, BrokerCheckCode>>((resolve) => {
    const timer = setTimeout(() => {
      resolve(
        connected
          ? fail('round_trip_timeout', `no echo on ${topic} within ${options.timeoutMs} ms`)
          : fail('broker_unreachable', `no connection to ${options.url} within ${options.timeoutMs} ms`),
      );
    }, options.timeoutMs);
    const finish = (result: Result<{ roundTripMs: number }, BrokerCheckCode>) => {
      clearTimeout(timer);
      resolve(result);
    };
    client.on('error', (error: Error & { code?: number | string }) => {
      const tls = brokerTlsCode(error);
      if (tls !== null) return finish(fail(tls, `${tls}: ${error.message}`));
      // CONNACK 4 (bad user name or password) and 5 (not authorised); MQTT 5 uses 134/135.
      const refused = error.code === 4 || error.code === 5 || error.code === 134 || error.code === 135;
      finish(refused ? fail('broker_refused', error.message) : fail('broker_unreachable', error.message));
    });
    client.on('close', () => {
      if (connected) {
        finish(
          fail(
            'broker_taken_over',
            `the broker closed the connection: another client logged in as ${options.username ?? 'this site'}`,
          ),
        );
      }
    });
    client.on('connect', () => {
      connected = true;
      client.subscribe(topic, { qos: 1 }, (error) => {
        if (error) return finish(fail('round_trip_timeout', `cannot subscribe to ${topic}: ${error.message}`));
        client.publish(topic, nonce, { qos: 1 });
      });
    });
    client.on('message', (_topic, payload) => {
      if (payload.toString() === nonce) finish(ok({ roundTripMs: Math.round(performance.now() - startedMs) }));
    });
  }).finally(() => {
    client.end(true);
  });
}
