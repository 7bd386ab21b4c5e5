import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { declareIngestQueue } from '@pantau/collector';
import { encodePayload } from '@pantau/shared';
import amqp from 'amqplib';
import mqtt from 'mqtt';
import pg from 'pg';
import { prepareLoad } from './ingest-load.js';
import { jsonLines } from './json-lines.js';
import { realisticSample } from './payloads.js';
import { procStats } from './proc-stats.js';
import { type RabbitCluster, startRabbitCluster } from './rabbit-cluster.js';
import { startPostgres } from './servers.js';

/**
 * `pnpm bench:cluster`: sites' batches over MQTT 3.1.1 into a three-node RabbitMQ cluster (a quorum
 * queue bound to amq.topic), drained by one and then two collector processes into PostgreSQL, and
 * the latency from publish to the collector at a steady rate. Figures feed docs/scaling.md.
 */
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 6000);
/** Five one-minute samples: the agent's default five-minute delivery. */
const PER_BATCH = 5;
const SITES = 2000;
const LATENCY_RATE_PER_SEC = 50;
const LATENCY_SECONDS = 20;
const ROOT = 'pantau/v1';
const QUEUE = 'pantau.ingest';
const COLLECTOR_MAIN = fileURLToPath(new URL('../../collector/dist/main.js', import.meta.url));

const say = (line: string) => process.stdout.write(`${line}\n`);
const round = (n: number) => Math.round(n);

async function count(db: pg.Client, where = 'true'): Promise<number> {
  return Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM samples WHERE ${where}`)).rows[0]?.n);
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface CollectorRun {
  readonly child: ChildProcess;
  readonly lines: Record<string, unknown>[];
}

function startCollector(id: string, urls: string[], dbUrl: string): CollectorRun {
  const child = spawn(process.execPath, [COLLECTOR_MAIN, 'serve'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      PATH: process.env.PATH,
      PANTAU_INPUT_KIND: 'amqp',
      PANTAU_AMQP_URLS: JSON.stringify(urls),
      PANTAU_POSTGRES_URL: dbUrl,
      PANTAU_MQTT_CLIENT_ID: id,
      PANTAU_LOG_LEVEL: 'info',
    },
  });
  return { child, lines: jsonLines(child.stdout) };
}

async function started(c: CollectorRun): Promise<void> {
  await until(async () => c.lines.some((l) => l.event === 'started'), 120_000);
}

/** Stops a collector cleanly; its last line says how many messages it handled. */
async function stopCollector(c: CollectorRun): Promise<number> {
  const exited = once(c.child, 'exit');
  c.child.kill('SIGTERM');
  await exited;
  return Number(c.lines.find((l) => l.event === 'stopped')?.messages ?? 0);
}

/** Publishes `messages` batches, a third through each node, QoS 1 (PUBACK once the quorum has it). */
async function publishBacklog(cluster: RabbitCluster, messages: number, firstMessage: number) {
  const nowMs = Date.now();
  const shape = {
    generators: 1,
    connections: 4,
    window: 16,
    sites: SITES,
    perBatch: PER_BATCH,
    nowMs,
    encoding: 'columnar' as const,
  };
  const per = Math.ceil(messages / cluster.nodes.length);
  const cpuBefore = cluster.nodes.map((n) => procStats(n.beamPid() ?? 0).cpuMs);
  const runs = await Promise.all(
    cluster.nodes.map((n, i) =>
      prepareLoad(shape, n.mqttUrl, ROOT, per, `bench-${firstMessage}-${i}`, firstMessage + i * per),
    ),
  );
  const results = await Promise.all(runs.map((go) => go()));
  const goMs = Math.min(...results.map((r) => r.goMs));
  const endMs = Math.max(...results.map((r) => r.lastPublishMs));
  const brokerCpuMs = cluster.nodes.reduce(
    (sum, n, i) => sum + procStats(n.beamPid() ?? 0).cpuMs - (cpuBefore[i] ?? 0),
    0,
  );
  return { messages: per * cluster.nodes.length, seconds: (endMs - goMs) / 1000, brokerCpuMs };
}

async function latency(cluster: RabbitCluster, db: pg.Client) {
  const clients = await Promise.all(
    cluster.nodes.map((n, i) => mqtt.connectAsync(n.mqttUrl, { clientId: `bench-lat-${i}`, protocolVersion: 4 })),
  );
  const total = LATENCY_RATE_PER_SEC * LATENCY_SECONDS;
  const sent: Promise<unknown>[] = [];
  const startMs = Date.now();
  for (let i = 0; i < total; i++) {
    const dueMs = startMs + (i * 1000) / LATENCY_RATE_PER_SEC;
    const waitMs = dueMs - Date.now();
    if (waitMs > 0) await new Promise((r) => setTimeout(r, waitMs));
    const siteId = `lat-${i % 100}`;
    const payload = encodePayload('telemetry', {
      v: 1,
      siteId,
      agentVersion: 'bench',
      sentAtMs: Date.now(),
      samples: [realisticSample(Math.floor(i / 100), Date.now())],
    });
    const client = clients[i % clients.length] as mqtt.MqttClient;
    sent.push(client.publishAsync(`${ROOT}/site/${siteId}/telemetry`, payload, { qos: 1 }));
  }
  await Promise.all(sent);
  await until(async () => (await count(db, "site_id LIKE 'lat-%'")) >= total, 120_000);
  await Promise.all(clients.map((c) => c.endAsync()));
  const rows = await db.query<{ ms: string }>(
    "SELECT received_ms - wall_ms AS ms FROM samples WHERE site_id LIKE 'lat-%' ORDER BY 1",
  );
  const ms = rows.rows.map((r) => Number(r.ms));
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] ?? Number.NaN;
  return {
    messages: total,
    ratePerSec: LATENCY_RATE_PER_SEC,
    p50Ms: at(0.5),
    p95Ms: at(0.95),
    p99Ms: at(0.99),
    maxMs: at(1),
  };
}

async function main(): Promise<void> {
  say(`bench:cluster: ${MESSAGES} batches of ${PER_BATCH} samples, 3 RabbitMQ nodes, PostgreSQL; starting the servers`);
  say(
    `(a shared 2-core machine, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}: the figures are noisy)`,
  );
  const [cluster, postgres] = await Promise.all([startRabbitCluster(3), startPostgres()]);
  const db = new pg.Client({ connectionString: postgres.url });
  try {
    const urls = cluster.nodes.map((n) => n.amqpUrl);
    const admin = await amqp.connect(urls[0] as string);
    await declareIngestQueue(await admin.createChannel(), QUEUE, ROOT);
    await admin.close();

    // 1. Into the cluster, nobody consuming: what the brokers alone take.
    const ingress = await publishBacklog(cluster, MESSAGES, 0);
    const ingressPerSec = ingress.messages / ingress.seconds;
    say(
      `into the cluster: ${round(ingressPerSec)} messages/s (${round(ingressPerSec * PER_BATCH)} samples/s), QoS 1 acknowledged by the quorum; broker CPU ${round(ingress.brokerCpuMs / ingress.seconds / 10)} % of a core`,
    );

    // 2. One collector drains that backlog.
    const one = startCollector('bench-col-a', urls, postgres.url);
    const t1 = Date.now();
    await started(one);
    await db.connect();
    await until(async () => (await count(db)) >= ingress.messages * PER_BATCH, 600_000);
    const oneSeconds = (Date.now() - t1) / 1000;
    const onePerSec = ingress.messages / oneSeconds;
    await stopCollector(one);
    say(
      `one collector drains it: ${round(onePerSec)} messages/s (${round(onePerSec * PER_BATCH)} samples/s) into PostgreSQL`,
    );

    // 3. Two collectors, competing consumers, drain a second backlog.
    const second = await publishBacklog(cluster, MESSAGES, ingress.messages);
    const pair = [
      startCollector('bench-col-a', urls, postgres.url),
      startCollector('bench-col-b', [...urls].reverse(), postgres.url),
    ];
    const t2 = Date.now();
    await Promise.all(pair.map(started));
    await until(async () => (await count(db)) >= (ingress.messages + second.messages) * PER_BATCH, 600_000);
    const twoSeconds = (Date.now() - t2) / 1000;
    const twoPerSec = second.messages / twoSeconds;

    // 4. Latency at a steady rate with both collectors consuming.
    const lat = await latency(cluster, db);
    const handled = await Promise.all(pair.map(stopCollector));
    say(
      `two collectors drain it: ${round(twoPerSec)} messages/s together (they handled ${handled.join(' and ')} messages, latency phase included)`,
    );
    say(
      `publish -> collector at ${lat.ratePerSec} messages/s: p50 ${lat.p50Ms} ms, p95 ${lat.p95Ms} ms, p99 ${lat.p99Ms} ms, max ${lat.maxMs} ms`,
    );
    const memory = cluster.nodes.map((n) => round(procStats(n.beamPid() ?? 0).rssBytes / 1_048_576));
    process.stdout.write(
      `${JSON.stringify({
        bench: 'cluster',
        cores: cpus().length,
        loadAverage: loadavg(),
        nodes: cluster.nodes.length,
        samplesPerMessage: PER_BATCH,
        messages: MESSAGES,
        ingressMessagesPerSec: round(ingressPerSec),
        oneCollectorMessagesPerSec: round(onePerSec),
        twoCollectorsMessagesPerSec: round(twoPerSec),
        messagesPerCollector: handled,
        brokerCpuPctOfCoreIngress: round(ingress.brokerCpuMs / ingress.seconds / 10),
        nodeRssMb: memory,
        latency: lat,
      })}\n`,
    );
  } finally {
    await db.end().catch(() => {});
    await cluster.stop();
    await postgres.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:cluster failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
