#!/usr/bin/env node
/**
 * `node bench/dist/ingest-stages.js`: where a collector's CPU goes per stored sample, one stage at a
 * time and without a broker, on the same messages `bench:ingest` publishes. Stages: of the JSON
 * form, UTF-8 + JSON parse, schema validation (zod; the compiled canonical check) and the collector's
 * decoder (all of them); both decoders of the columnar form agents send; the plausibility rule; the
 * whole ingest path of the columnar form on a store that keeps nothing; SQLite insertBatches in groups (of
 * `--encoding`'s payloads); roll-ups. The last line is one JSON object (microseconds per sample per
 * stage).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  applyPlausibility,
  compileCanonicalCheck,
  createIngest,
  decodeIngestPayload,
  type IngestStore,
  openSqliteStore,
} from '@pantau/collector';
import {
  createLogger,
  decodePayload,
  type PayloadEncoding,
  type TelemetryBatch,
  telemetryBatchSchema,
} from '@pantau/shared';
import { encodeMessage, encodingOption } from './payloads.js';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '20000' },
    'per-batch': { type: 'string', default: '10' },
    sites: { type: 'string', default: '100000' },
    group: { type: 'string', default: '64' },
    encoding: { type: 'string', default: 'columnar' },
  },
});
const MESSAGES = Number(values.messages);
const PER_BATCH = Number(values['per-batch']);
const GROUP = Number(values.group);
const NOW = Date.now();
const say = (line: string) => process.stdout.write(`${line}\n`);

const messagesIn = (encoding: PayloadEncoding) =>
  Array.from({ length: MESSAGES }, (_, i) => encodeMessage('b/v1', i, Number(values.sites), PER_BATCH, NOW, encoding));
const payloads = messagesIn('json').map((m) => m.payload);
const columnar = messagesIn('columnar');
/** The site each columnar payload's topic names (the payload does not repeat it). */
const siteOf = (topic: string) => topic.split('/')[3] ?? '';
const samples = MESSAGES * PER_BATCH;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** CPU (user + system) microseconds per sample of `fn` over every message. */
function stage(name: string, fn: () => void): number {
  const before = process.cpuUsage();
  fn();
  const used = process.cpuUsage(before);
  const usPerSample = (used.user + used.system) / samples;
  say(
    `${name.padEnd(34)} ${usPerSample.toFixed(2).padStart(7)} µs/sample  (${Math.round(1e6 / usPerSample)} samples/s)`,
  );
  return usPerSample;
}

const parsed: unknown[] = [];
const figures: Record<string, number> = {};
figures.parseJson = stage('utf-8 decode + JSON.parse', () => {
  for (const p of payloads) parsed.push(JSON.parse(utf8.decode(p)));
});
figures.zodValidate = stage('zod safeParse', () => {
  for (const j of parsed) telemetryBatchSchema.safeParse(j);
});
const canonical = compileCanonicalCheck(telemetryBatchSchema);
canonical(parsed[0]);
figures.canonicalCheck = stage('canonical check (ajv)', () => {
  for (const j of parsed) canonical(j);
});
const batches: TelemetryBatch[] = [];
figures.decodePayload = stage('decodeIngestPayload (all of the above)', () => {
  for (const p of payloads) {
    const r = decodeIngestPayload('telemetry', p);
    if (r.ok) batches.push(r.value);
  }
});
// Not kept, unlike the batches above (stored below): ingest drops a batch once it is committed, and
// keeping 20,000 of them alive here would time the garbage collector's promotions instead.
let columnarOk = 0;
figures.decodeColumnar = stage('decodeIngestPayload of columnar', () => {
  for (const m of columnar) {
    if (decodeIngestPayload('telemetry', m.payload, undefined, { siteId: siteOf(m.topic) }).ok) columnarOk++;
  }
});
// The same through shared's plain decoder (what an agent or a third party runs): no caches, no
// generated code, zod for every message.
figures.decodeColumnarPlain = stage('decodePayload of columnar (plain)', () => {
  for (const m of columnar) {
    if (decodePayload('telemetry', m.payload, undefined, { siteId: siteOf(m.topic) }).ok) columnarOk++;
  }
});
if (columnarOk !== 2 * MESSAGES) throw new Error('a columnar payload did not decode');
let plausible = 0;
figures.plausibility = stage('applyPlausibility (ingest)', () => {
  for (const b of batches) if (applyPlausibility(b).implausible.length === 0) plausible++;
});
if (plausible !== MESSAGES) throw new Error('a bench batch was implausible');
// The collector's ingest path (topic, decoding, site and time checks, plausibility, the store call)
// on a store that keeps nothing: with the store's own cost, what a collector spends besides MQTT.
const keepsNothing: IngestStore = {
  commitsOffThread: false,
  insertBatches: async (items) => items.map((i) => ({ inserted: i.batch.samples.length, duplicates: 0 })),
  applyStatus: async () => 'applied',
  recordReject: async () => {},
};
const ingest = createIngest(
  { topicRoot: 'b/v1', maxPayloadBytes: 1 << 20, quarantineSize: 10 },
  { store: keepsNothing, log: createLogger('stages', 'silent'), nowMs: () => NOW },
);
const ingestStart = process.cpuUsage();
for (const m of columnar) await ingest.handle(m.topic, m.payload);
const ingestUsed = process.cpuUsage(ingestStart);
figures.ingestPath = (ingestUsed.user + ingestUsed.system) / samples;
if (ingest.counters().samplesStored !== samples) throw new Error('ingest rejected a bench message');
say(`${'ingest.handle, store keeps nothing'.padEnd(34)} ${figures.ingestPath.toFixed(2).padStart(7)} µs/sample`);
const dir = mkdtempSync(join(tmpdir(), 'pantau-stages-'));
const store = openSqliteStore(join(dir, 'stages.sqlite'));
const receivedMs = Date.now();
const storedEncoding = encodingOption(values.encoding);
const stored =
  storedEncoding === 'columnar' ? columnar.map((m) => m.payload) : messagesIn(storedEncoding).map((m) => m.payload);
const items = batches.map((batch, i) => ({ batch, receivedMs, payload: stored[i] }));
const before = process.cpuUsage();
const wallStart = performance.now();
for (let i = 0; i < items.length; i += GROUP) await store.insertBatches(items.slice(i, i + GROUP));
const used = process.cpuUsage(before);
figures.sqliteInsert = (used.user + used.system) / samples;
say(
  `${`sqlite insertBatches (${GROUP}, ${values.encoding})`.padEnd(34)} ` +
    `${figures.sqliteInsert.toFixed(2).padStart(7)} µs/sample  ` +
    `(${Math.round(samples / ((performance.now() - wallStart) / 1000))} samples/s wall)`,
);
const rollupStart = process.cpuUsage();
let days = 0;
for (let n = await store.refreshRollups(1000); n > 0; n = await store.refreshRollups(1000)) days += n;
const rollupUsed = process.cpuUsage(rollupStart);
figures.rollups = (rollupUsed.user + rollupUsed.system) / samples;
say(`${`roll-ups of ${days} dirty site-days`.padEnd(34)} ${figures.rollups.toFixed(2).padStart(7)} µs/sample`);
await store.close();
rmSync(dir, { recursive: true, force: true });
process.stdout.write(
  `${JSON.stringify({
    bench: 'ingest-stages',
    messages: MESSAGES,
    samplesPerBatch: PER_BATCH,
    storedEncoding: values.encoding,
    usPerSample: figures,
  })}\n`,
);
