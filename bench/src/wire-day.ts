/**
 * One simulated day of bench:wire: the agent's delivery code on a fake clock, publishing a day of
 * 1-minute samples to a real Mosquitto through a counting TCP proxy, on plain TCP or over TLS.
 */
import { once } from 'node:events';
import { connect as tlsConnect } from 'node:tls';
import { createDelivery, createMemorySpool, createPublisher, mqttJsConnect, type Publisher } from '@pantau/agent';
import { createLogger, encodePayload, type PayloadEncoding, type SampleInput } from '@pantau/shared';
import { startCountingProxy } from './counting-proxy.js';
import { seeded } from './seeded.js';
import { StepClock } from './step-clock.js';
import { DAY_START_MS, SAMPLES_PER_DAY, syntheticSample } from './synthetic-samples.js';

export const DAYS_PER_MONTH = 30;
export const MB = 1_000_000;
/** TLS 1.3 with AES-GCM: 5-byte record header + 1 inner content type + 16-byte tag per record. */
const TLS_RECORD_OVERHEAD_BYTES = 22;

/**
 * What a keepalive shorter than the delivery interval adds: mqtt.js sends a PINGREQ (2 bytes, and
 * the broker's 2-byte PINGRESP) after `keepaliveSec` without a packet, so each delivery interval
 * carries ceil(interval / keepalive) - 1 of them; each exchange is two TLS records. Bytes a month.
 */
export function keepaliveBytesPerMonth(deliverySec: number, keepaliveSec: number): number {
  const pingsPerInterval = Math.max(0, Math.ceil(deliverySec / keepaliveSec) - 1);
  const intervalsPerMonth = (DAYS_PER_MONTH * 86_400) / deliverySec;
  return intervalsPerMonth * pingsPerInterval * (2 + 2 + 2 * TLS_RECORD_OVERHEAD_BYTES);
}

export interface Scenario {
  readonly name: string;
  readonly deliveryMinutes: number;
  readonly encoding: PayloadEncoding;
  readonly maxBatchSamples: number;
}

/** Where the agent connects: the broker's plain listener, or its TLS one with the CA the agent pins. */
export interface Transport {
  readonly port: number;
  readonly ca?: Buffer;
}

/** One simulated day on one transport. */
export interface DayRun {
  readonly upBytes: number;
  readonly downBytes: number;
  /** Both directions until the connection was up and the birth message out (TLS handshake, CONNECT, SUBSCRIBE). */
  readonly connectBytes: number;
  /** Writes seen by the proxy: TCP segment trains, each at least one TLS record over TLS. */
  readonly chunks: number;
  readonly payloadBytes: number;
}

export async function measureDay(transport: Transport, scenario: Scenario): Promise<DayRun> {
  const proxy = await startCountingProxy(transport.port, transport.ca === undefined ? 'mqtt' : 'mqtts');
  const clock = new StepClock(DAY_START_MS);
  const random = seeded(42);
  const spool = createMemorySpool(100_000);
  const log = createLogger('bench', 'silent');
  let connectBytes = 0;
  let connected: () => void = () => {};
  const up = new Promise<void>((resolve) => {
    connected = () => {
      connectBytes = proxy.up.bytes + proxy.down.bytes;
      resolve();
    };
  });
  let epoch = 0;
  const keepaliveSec = scenario.deliveryMinutes * 60 + 30;
  const publisher: Publisher = createPublisher(
    {
      url: proxy.url,
      ...(transport.ca === undefined ? {} : { ca: transport.ca }),
      keepaliveSec,
      connectTimeoutMs: 30_000,
      backoff: { minMs: 1000, maxMs: 300_000, reconnectWithinMs: 60_000 },
      startDelayMaxMs: 0,
      topicRoot: 'pantau/v1',
      siteId: 'kutim-sangatta-01',
      bootId: '3f1c2a9e-8d7b-4c6a-9e5f-1a2b3c4d5e6f',
      agentVersion: '0.1.0',
      configHash: 'dc1053cc2f53',
      encoding: scenario.encoding,
      ackTimeoutMs: 60_000,
    },
    {
      clock,
      random,
      log,
      connect: mqttJsConnect,
      nextEpoch: () => epoch++,
      spoolState: () => ({ depth: spool.depth, dropped: spool.dropped, fault: null }),
    },
  );
  publisher.listen({ connected: () => connected() });
  const delivery = createDelivery(
    { maxBatchSamples: scenario.maxBatchSamples, backfillBytesPerSec: 4096 },
    { spool, publisher, clock, log },
  );
  publisher.start();
  await up;
  const sampleRandom = seeded(7);
  let payloadBytesPerDay = 0;
  let pending: SampleInput[] = [];
  for (let i = 0; i < SAMPLES_PER_DAY; i++) {
    clock.advance(60_000);
    const sample = syntheticSample(i, DAY_START_MS, sampleRandom);
    await spool.append(sample);
    pending.push(sample);
    if ((i + 1) % scenario.deliveryMinutes === 0) {
      await delivery.deliverLive();
      // The same batch as the publisher sent (its sentAtMs may differ by a few bits' worth).
      payloadBytesPerDay += payloadBytes(pending, clock.nowMs(), scenario.encoding);
      pending = [];
    }
  }
  await delivery.stop();
  await publisher.stop();
  await new Promise((resolve) => setTimeout(resolve, 200));
  await proxy.close();
  if (spool.depth !== 0) throw new Error(`${scenario.name}: ${spool.depth} samples not delivered`);
  return {
    upBytes: proxy.up.bytes,
    downBytes: proxy.down.bytes,
    connectBytes,
    chunks: proxy.up.chunks + proxy.down.chunks,
    payloadBytes: payloadBytesPerDay,
  };
}

/** The TLS version the broker and this Node agree on (the agent's mqtt.js connects with Node's tls). */
export async function negotiatedTlsVersion(port: number, ca: Buffer): Promise<string> {
  const socket = tlsConnect({ host: '127.0.0.1', port, ca });
  try {
    await once(socket, 'secureConnect');
    return socket.getProtocol() ?? 'unknown';
  } finally {
    socket.destroy();
  }
}

export function payloadBytes(samples: SampleInput[], sentAtMs: number, encoding: PayloadEncoding): number {
  const batch = { v: 1 as const, siteId: 'kutim-sangatta-01', agentVersion: '0.1.0', sentAtMs, samples };
  return encodePayload('telemetry', batch, encoding).byteLength;
}
