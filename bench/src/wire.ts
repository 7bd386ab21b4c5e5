/**
 * `pnpm bench:wire`: bytes on the agent's TCP connection to a real Mosquitto, both directions, all
 * MQTT framing, acks and keepalives included, for a simulated day of 1-minute samples (every
 * probe's fields), scaled to 30 days. The agent's delivery code runs on a fake clock, so the day
 * takes seconds; a counting TCP proxy sits between it and the broker. Each scenario runs twice: on
 * plain TCP, and over TLS to the broker's TLS listener (a CA and certificate made by openssl, pinned
 * as agents pin it), so what TLS costs is measured, handshake and records. The last line printed is
 * one JSON object with every figure.
 */

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PayloadEncoding } from '@pantau/shared';
import { startMosquitto } from './servers.js';
import { daySamples, SAMPLES_PER_DAY } from './synthetic-samples.js';
import { makeTestPki } from './test-pki.js';
import {
  DAYS_PER_MONTH,
  MB,
  measureDay,
  negotiatedTlsVersion,
  payloadBytes,
  type Scenario,
  type Transport,
} from './wire-day.js';

/** Each simulated day is one connection, so a month counts 30 full handshakes (a solar site's night). */
const CONNECTIONS_PER_MONTH = DAYS_PER_MONTH;

interface Measured {
  readonly name: string;
  readonly deliveryMinutes: number;
  readonly encoding: PayloadEncoding;
  /** Plain TCP, both ways. */
  readonly upBytesPerDay: number;
  readonly downBytesPerDay: number;
  /** The telemetry payloads alone (what the encoding decides); the rest is MQTT framing and acks. */
  readonly payloadBytesPerDay: number;
  readonly tcpRecordsPerDay: number;
  readonly tcpBytesPerMonth: number;
  /** The same day over TLS, measured. */
  readonly tlsBytesPerMonth: number;
  /** What TLS adds: `tlsBytesPerMonth - tcpBytesPerMonth`. */
  readonly tlsCostBytesPerMonth: number;
  /** One connection's handshake: bytes until the connection was up, TLS less plain. */
  readonly tlsHandshakeBytes: number;
  /** The rest of TLS's cost spread over the TLS run's writes (record header, tag, content type). */
  readonly tlsBytesPerRecord: number;
  /** What the site pays: over TLS. */
  readonly totalBytesPerMonth: number;
}

async function measure(transports: { tcp: Transport; tls: Transport }, scenario: Scenario): Promise<Measured> {
  const plain = await measureDay(transports.tcp, scenario);
  const tls = await measureDay(transports.tls, scenario);
  const plainDay = plain.upBytes + plain.downBytes;
  const tlsDay = tls.upBytes + tls.downBytes;
  const tlsHandshakeBytes = tls.connectBytes - plain.connectBytes;
  return {
    name: scenario.name,
    deliveryMinutes: scenario.deliveryMinutes,
    encoding: scenario.encoding,
    upBytesPerDay: plain.upBytes,
    downBytesPerDay: plain.downBytes,
    payloadBytesPerDay: plain.payloadBytes,
    tcpRecordsPerDay: plain.chunks,
    tcpBytesPerMonth: plainDay * DAYS_PER_MONTH,
    tlsBytesPerMonth: tlsDay * DAYS_PER_MONTH,
    tlsCostBytesPerMonth: (tlsDay - plainDay) * DAYS_PER_MONTH,
    tlsHandshakeBytes,
    tlsBytesPerRecord: Number(((tlsDay - plainDay - tlsHandshakeBytes) / tls.chunks).toFixed(1)),
    totalBytesPerMonth: tlsDay * DAYS_PER_MONTH,
  };
}

/** Payload sizes alone, per encoding, for one batch of `count` samples (what the codec choice rests on). */
function payloadSizes(count: number): Record<PayloadEncoding, number> {
  const { samples, sentAtMs } = daySamples(600, count);
  return {
    json: payloadBytes(samples, sentAtMs, 'json'),
    deflate: payloadBytes(samples, sentAtMs, 'deflate'),
    brotli: payloadBytes(samples, sentAtMs, 'brotli'),
    columnar: payloadBytes(samples, sentAtMs, 'columnar'),
  };
}

/**
 * A floor under any per-batch encoding of this day: all of its samples as one columnar batch, the
 * payload alone (no MQTT, TCP or TLS), scaled to a month. Batching a day cannot cost less structure
 * than one batch, so what remains is the measurements' own information as the encoder packs it.
 */
function wholeDayPayloadBytes(): number {
  const { samples, sentAtMs } = daySamples(0, SAMPLES_PER_DAY);
  return payloadBytes(samples, sentAtMs, 'columnar');
}

async function main(): Promise<void> {
  const pkiDir = mkdtempSync(join(tmpdir(), 'pantau-bench-pki-'));
  const pki = makeTestPki(pkiDir);
  const mosquitto = await startMosquitto({ tls: pki });
  const transports = {
    tcp: { port: mosquitto.port },
    tls: { port: mosquitto.tlsPort ?? 0, ca: readFileSync(pki.caFile) },
  };
  const scenarios: Scenario[] = [
    { name: 'baseline: one JSON message per sample', deliveryMinutes: 1, encoding: 'json', maxBatchSamples: 1 },
    ...(['json', 'deflate', 'brotli', 'columnar'] as const).flatMap((encoding) => [
      { name: `5 min, ${encoding}`, deliveryMinutes: 5, encoding, maxBatchSamples: 120 },
      { name: `15 min, ${encoding}`, deliveryMinutes: 15, encoding, maxBatchSamples: 120 },
    ]),
  ];
  const results: Measured[] = [];
  let tlsVersion = 'unknown';
  try {
    tlsVersion = await negotiatedTlsVersion(transports.tls.port, transports.tls.ca);
    for (const scenario of scenarios) results.push(await measure(transports, scenario));
  } finally {
    await mosquitto.stop();
    rmSync(pkiDir, { recursive: true, force: true });
  }
  const baseline = results[0] as Measured;
  const pick = (minutes: number, encoding: PayloadEncoding) =>
    results.find((r) => r.deliveryMinutes === minutes && r.encoding === encoding) as Measured;
  const best = (minutes: number) =>
    results
      .filter((r) => r.deliveryMinutes === minutes)
      .sort((a, b) => a.totalBytesPerMonth - b.totalBytesPerMonth)[0] as Measured;
  const mb = (bytes: number) => (bytes / MB).toFixed(2);

  const lines: string[] = [];
  lines.push('Pantau wire budget: a simulated day of 1-minute samples (every probe), scaled to 30 days');
  lines.push('bytes on the TCP connection, both directions, MQTT framing, PUBACKs and keepalives included');
  lines.push(
    `TLS measured: the same day again over TLS (${tlsVersion}, the broker's TLS listener, CA pinned), ` +
      `one connection a day (${CONNECTIONS_PER_MONTH} full handshakes a month; mqtt.js resumes no TLS session)`,
  );
  lines.push('');
  lines.push(
    `${'scenario'.padEnd(40)} ${'up/day'.padStart(9)} ${'down/day'.padStart(9)} ${'TCP MB/mo'.padStart(10)} ${'TLS MB/mo'.padStart(10)} ${'+TLS MB'.padStart(8)} ${'handshake B'.padStart(12)} ${'B/record'.padStart(9)}`,
  );
  for (const r of results) {
    lines.push(
      `${r.name.padEnd(40)} ${String(r.upBytesPerDay).padStart(9)} ${String(r.downBytesPerDay).padStart(9)} ${mb(r.tcpBytesPerMonth).padStart(10)} ${mb(r.tlsBytesPerMonth).padStart(10)} ${mb(r.tlsCostBytesPerMonth).padStart(8)} ${String(r.tlsHandshakeBytes).padStart(12)} ${r.tlsBytesPerRecord.toFixed(1).padStart(9)}`,
    );
  }
  // The agent's default encoding (agent/src/config/schema.ts), chosen from these figures.
  const five = pick(5, 'columnar');
  const fifteen = pick(15, 'columnar');
  const sizes5 = payloadSizes(5);
  const sizes15 = payloadSizes(15);
  const sizeLine = (n: number, s: Record<PayloadEncoding, number>) =>
    `one ${n}-sample batch payload: json ${s.json} B, deflate ${s.deflate} B, brotli ${s.brotli} B, columnar ${s.columnar} B`;
  const perBatch = (r: Measured) => {
    const batches = SAMPLES_PER_DAY / r.deliveryMinutes;
    const payload = r.payloadBytesPerDay / batches;
    const framing = (r.upBytesPerDay + r.downBytesPerDay - r.payloadBytesPerDay) / batches;
    const tls = r.tlsCostBytesPerMonth / DAYS_PER_MONTH / batches;
    return `${r.deliveryMinutes} min, ${r.encoding}: per batch ${payload.toFixed(0)} B payload + ${framing.toFixed(0)} B MQTT (PUBLISH header and topic, PUBACK, connect) + ${tls.toFixed(0)} B TLS (handshake share included)`;
  };
  const verdict = (r: Measured, targetMb: number) =>
    `${mb(r.totalBytesPerMonth)} MB/month with TLS, target <= ${targetMb}: ${r.totalBytesPerMonth <= targetMb * MB ? 'MET' : 'NOT MET'}`;
  lines.push('');
  lines.push(sizeLine(5, sizes5));
  lines.push(sizeLine(15, sizes15));
  lines.push(`where the bytes go: ${perBatch(five)}`);
  lines.push(`where the bytes go: ${perBatch(fifteen)}`);
  lines.push(`best at 5 min: ${best(5).encoding}; best at 15 min: ${best(15).encoding}`);
  lines.push(`5 min (columnar, the default): ${verdict(five, 2.5)}`);
  lines.push(`15 min (columnar, metered):    ${verdict(fifteen, 1.2)}`);
  lines.push(
    `ratio against one uncompressed JSON message per sample (${mb(baseline.totalBytesPerMonth)} MB): 5 min ${(baseline.totalBytesPerMonth / five.totalBytesPerMonth).toFixed(1)}x smaller, 15 min ${(baseline.totalBytesPerMonth / fifteen.totalBytesPerMonth).toFixed(1)}x smaller`,
  );
  lines.push('keepalive = delivery interval + 30 s and every batch resets the ping timer: no PINGREQ is sent');
  lines.push(
    `what TLS costs a site a month (5 min, columnar): ${mb(five.tlsCostBytesPerMonth)} MB ` +
      `(${mb(five.tcpBytesPerMonth)} MB plain -> ${mb(five.tlsBytesPerMonth)} MB TLS, ` +
      `+${((five.tlsCostBytesPerMonth / five.tcpBytesPerMonth) * 100).toFixed(0)} %): ` +
      `${five.tlsHandshakeBytes} B a handshake x ${CONNECTIONS_PER_MONTH} = ${mb(five.tlsHandshakeBytes * CONNECTIONS_PER_MONTH)} MB, ` +
      `the rest ${five.tlsBytesPerRecord.toFixed(1)} B a record; each extra reconnection a month costs another ${five.tlsHandshakeBytes} B`,
  );
  // What the 15-minute target leaves for payload once this run's framing and TLS are paid.
  const floorBytesPerMonth = wholeDayPayloadBytes() * DAYS_PER_MONTH;
  const samplesPerMonth = SAMPLES_PER_DAY * DAYS_PER_MONTH;
  const overhead15 = fifteen.totalBytesPerMonth - fifteen.payloadBytesPerDay * DAYS_PER_MONTH;
  const room15 = 1.2 * MB - overhead15;
  lines.push(
    `floor: the whole day as one columnar batch, payload alone: ${mb(floorBytesPerMonth)} MB/month ` +
      `(${(floorBytesPerMonth / samplesPerMonth).toFixed(1)} B a sample); the 15-min target leaves ` +
      `${mb(room15)} MB (${(room15 / samplesPerMonth).toFixed(1)} B a sample) for payload after ${mb(overhead15)} MB of MQTT and TLS`,
  );
  for (const line of lines) process.stdout.write(`${line}\n`);
  const summary = {
    bench: 'wire',
    mbPerMonth5min: Number(mb(five.totalBytesPerMonth)),
    mbPerMonth15min: Number(mb(fifteen.totalBytesPerMonth)),
    tcpMbPerMonth5min: Number(mb(five.tcpBytesPerMonth)),
    tcpMbPerMonth15min: Number(mb(fifteen.tcpBytesPerMonth)),
    tlsMbPerMonth5min: Number(mb(five.tlsBytesPerMonth)),
    tlsMbPerMonth15min: Number(mb(fifteen.tlsBytesPerMonth)),
    tlsCostMbPerMonth5min: Number(mb(five.tlsCostBytesPerMonth)),
    tlsCostMbPerMonth15min: Number(mb(fifteen.tlsCostBytesPerMonth)),
    tlsHandshakeBytes: five.tlsHandshakeBytes,
    tlsBytesPerRecord5min: five.tlsBytesPerRecord,
    tlsConnectionsPerMonth: CONNECTIONS_PER_MONTH,
    tlsVersion,
    baselineMbPerMonth: Number(mb(baseline.totalBytesPerMonth)),
    ratio5min: Number((baseline.totalBytesPerMonth / five.totalBytesPerMonth).toFixed(1)),
    ratio15min: Number((baseline.totalBytesPerMonth / fifteen.totalBytesPerMonth).toFixed(1)),
    target5minMb: 2.5,
    target15minMb: 1.2,
    met5min: five.totalBytesPerMonth <= 2.5 * MB,
    met15min: fifteen.totalBytesPerMonth <= 1.2 * MB,
    batchPayloadBytes5: sizes5,
    batchPayloadBytes15: sizes15,
    wholeDayPayloadMbPerMonth: Number(mb(floorBytesPerMonth)),
    payloadRoom15minMb: Number(mb(room15)),
    scenarios: results,
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:wire failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
