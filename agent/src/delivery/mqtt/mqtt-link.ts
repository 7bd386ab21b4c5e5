import mqtt, { type IClientOptions } from 'mqtt';
import { type BrokerTlsCode, brokerTlsCode } from './broker-tls.js';

/** What one connection attempt reports, each event through the handler given at connect. */
export interface MqttLinkEvents {
  /** The broker accepted the connection (CONNACK 0). */
  connect(sessionPresent: boolean): void;
  message(topic: string, payload: Buffer): void;
  /**
   * A connection error; `code` is the CONNACK return or reason code, null for a socket error; `tls`
   * says why TLS refused the broker's certificate, null for any other error.
   */
  error(error: { readonly message: string; readonly code: number | null; readonly tls: BrokerTlsCode | null }): void;
  /** The broker ended the connection with a DISCONNECT packet (MQTT 5 only), with its reason code. */
  disconnect(reasonCode: number): void;
  /** The connection is gone, or never came up. */
  close(): void;
}

export interface MqttLinkOptions {
  readonly clientId: string;
  readonly protocolVersion: 4 | 5;
  readonly keepaliveSec: number;
  readonly connectTimeoutMs: number;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  /** The pinned CA (PEM) for an mqtts:// broker; unset: the system's CAs. */
  readonly ca?: Buffer | undefined;
  /** Retained, QoS 1. */
  readonly will: { readonly topic: string; readonly payload: Buffer };
}

/**
 * One connection attempt to the broker, with a persistent session and no reconnection of its own:
 * the small interface the connection logic is written (and tested) against.
 */
export interface MqttLink {
  /** Subscribes at QoS 1. */
  subscribe(topic: string): Promise<void>;
  /** Publishes at QoS 1; resolves at the PUBACK. */
  publish(topic: string, payload: Buffer, retain: boolean): Promise<void>;
  /** Bytes the socket has written and read so far, MQTT framing and keepalives included. */
  socketBytes(): { readonly txBytes: number; readonly rxBytes: number };
  /** Drops the socket at once (a dead link the socket has not noticed). */
  destroy(): void;
  /** Closes without a DISCONNECT and forgets whatever is still in flight (the spool has it). */
  abandon(): void;
  /** A clean DISCONNECT: the broker discards the will. */
  end(): Promise<void>;
}

export type MqttConnect = (url: string, options: MqttLinkOptions, events: MqttLinkEvents) => MqttLink;

/** MQTT 5: a Session Expiry Interval of 0xFFFFFFFF means the session does not expire. */
const SESSION_NEVER_EXPIRES = 0xffff_ffff;

/** Byte counters of the socket under an mqtt.js client (net.Socket or tls.TLSSocket). */
interface CountingStream {
  readonly bytesWritten?: number;
  readonly bytesRead?: number;
}

/** mqtt.js behind `MqttLink`: the one place the agent touches the MQTT library. */
export const mqttJsConnect: MqttConnect = (url, options, events) => {
  const clientOptions: IClientOptions = {
    clientId: options.clientId,
    clean: false,
    ...(options.protocolVersion === 5
      ? {
          // Topic aliases: from the second message of a connection on, a topic (about 40 bytes)
          // travels as a 2-byte alias, a share of every batch's cost (docs/delivery.md).
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
    // The connection logic reconnects itself, with jitter; mqtt.js's reconnect is a fixed interval.
    reconnectPeriod: 0,
    queueQoSZero: false,
    // mqtt-packet otherwise pre-builds a Buffer for each of the 65,536 packet ids at the first
    // packet, megabytes of heap for ever (README, "Footprint"), to save a 2-byte write.
    writeCache: false,
    ...(options.username === undefined ? {} : { username: options.username }),
    ...(options.password === undefined ? {} : { password: options.password }),
    // The pinned CA replaces the system's for this connection; the broker's name is checked too.
    ...(options.ca === undefined ? {} : { ca: options.ca }),
    rejectUnauthorized: true,
    will: { topic: options.will.topic, payload: options.will.payload, qos: 1, retain: true },
  };
  const client = mqtt.connect(url, clientOptions);
  client.on('connect', (connack) => events.connect(connack.sessionPresent === true));
  client.on('message', (topic, payload) => events.message(topic, payload));
  client.on('error', (error) => {
    const code = (error as { code?: unknown }).code;
    events.error({ message: error.message, code: typeof code === 'number' ? code : null, tls: brokerTlsCode(error) });
  });
  client.on('disconnect', (packet) => events.disconnect(packet.reasonCode ?? 0));
  client.on('close', () => events.close());
  return {
    async subscribe(topic) {
      await client.subscribeAsync(topic, { qos: 1 });
    },
    async publish(topic, payload, retain) {
      await client.publishAsync(topic, payload, { qos: 1, retain });
    },
    socketBytes() {
      const stream = client.stream as unknown as CountingStream | undefined;
      return { txBytes: stream?.bytesWritten ?? 0, rxBytes: stream?.bytesRead ?? 0 };
    },
    destroy() {
      client.stream.destroy();
    },
    abandon() {
      client.end(true);
    },
    async end() {
      await client.endAsync();
    },
  };
};
