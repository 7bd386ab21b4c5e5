import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { jsonLines } from '@pantau/bench/json-lines';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentProcess, startAgentProcess } from '../helpers/agent-process.js';
import { COLLECTOR_MAIN } from '../helpers/bins.js';
import { type Postgres, queryRows, startPostgres } from '../helpers/postgres.js';
import { type RabbitCluster, startRabbitCluster } from '../helpers/rabbitmq.js';
import { startTcpBalancer, type TcpBalancer } from '../helpers/tcp-balancer.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import { waitFor } from '../helpers/wait.js';

const SITES = 6;
const temp = tempDirs();

interface CollectorProcess {
  readonly child: ChildProcess;
  readonly lines: Record<string, unknown>[];
}

function startCollectorProcess(env: Record<string, string>): CollectorProcess {
  const child = spawn(process.execPath, [COLLECTOR_MAIN, 'serve'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { PATH: process.env.PATH, ...env },
  });
  return { child, lines: jsonLines(child.stdout) };
}

/**
 * Past one broker: sites publish over MQTT to any node of a three-node RabbitMQ cluster (through a
 * load balancer), the MQTT plugin routes to `amq.topic`, and two collectors consume a replicated
 * quorum queue as competing consumers over AMQP, into one PostgreSQL. A node and a collector are
 * killed mid-stream.
 */
describe('collectors on a RabbitMQ cluster', () => {
  let postgres: Postgres;
  let cluster: RabbitCluster;
  let balancer: TcpBalancer;
  let dbUrl: string;
  const agents: AgentProcess[] = [];
  const collectors: CollectorProcess[] = [];
  beforeAll(async () => {
    [postgres, cluster] = await Promise.all([startPostgres(), startRabbitCluster(3)]);
    dbUrl = await postgres.createDatabase('cluster');
    balancer = await startTcpBalancer(cluster.nodes.map((n) => n.mqttPort));
  }, 900_000);
  afterAll(async () => {
    try {
      for (const agent of agents) await agent.kill();
      for (const c of collectors) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
      await balancer?.close();
      await cluster?.stop();
    } finally {
      await postgres?.stop();
      temp.removeAll();
    }
  });

  const query = <T extends pg.QueryResultRow>(sql: string) => queryRows<T>(dbUrl, sql);
  const storedCount = async () => Number((await query<{ n: string }>('SELECT count(*) AS n FROM samples'))[0]?.n);

  it('loses no sample and stores none twice when a node and a collector die mid-stream', {
    timeout: 900_000,
  }, async () => {
    expect((await cluster.runningNodes()).sort()).toEqual(cluster.nodes.map((n) => n.name).sort());
    const urls = cluster.nodes.map((n) => n.amqpUrl);
    const collectorEnv = (id: string, order: string[]) => ({
      PANTAU_INPUT_KIND: 'amqp',
      PANTAU_AMQP_URLS: JSON.stringify(order),
      PANTAU_POSTGRES_URL: dbUrl,
      PANTAU_MQTT_CLIENT_ID: id,
      PANTAU_LOG_LEVEL: 'info',
    });
    // A declares the queue on the first node, so its leader is there: the node killed below.
    const a = startCollectorProcess(collectorEnv('col-a', urls));
    collectors.push(a);
    await waitFor('collector a consuming', () => a.lines.some((l) => l.event === 'started'), 120_000);
    const b = startCollectorProcess(collectorEnv('col-b', [urls[1], urls[2], urls[0]] as string[]));
    collectors.push(b);
    await waitFor('collector b consuming', () => b.lines.some((l) => l.event === 'started'), 120_000);

    for (let i = 0; i < SITES; i++) {
      agents.push(
        startAgentProcess({
          PANTAU_SITE_ID: `rabbit-${i}`,
          PANTAU_DATA_DIR: join(temp.make('rabbit'), 'data'),
          PANTAU_MQTT_URL: `mqtt://127.0.0.1:${balancer.port}`,
          // RabbitMQ 3.10's MQTT plugin drops an MQTT 5 CONNECT unanswered.
          PANTAU_MQTT_PROTOCOL: '3.1.1',
          PANTAU_MQTT_START_DELAY_MAX_MS: '0',
          PANTAU_MQTT_BACKOFF_MIN_MS: '100',
          PANTAU_MQTT_BACKOFF_MAX_MS: '2000',
          PANTAU_SAMPLE_INTERVAL_SEC: '1',
          PANTAU_DELIVERY_INTERVAL_SEC: '1',
          PANTAU_LATENCY_TARGETS: '[]',
          PANTAU_LOG_LEVEL: 'debug',
        }),
      );
    }
    await waitFor('samples flowing', async () => (await storedCount()) >= SITES * 10, 180_000, 500);

    // Mid-stream: the queue's leader node crashes, and so does a collector with messages in flight.
    await cluster.nodes[0]?.kill();
    a.child.kill('SIGKILL');
    const atKill = await storedCount();
    await waitFor(
      'samples flowing after the kills',
      async () => (await storedCount()) >= atKill + SITES * 15,
      300_000,
      500,
    );

    for (const agent of agents) agent.child.kill('SIGTERM');
    await Promise.all(agents.map((agent) => agent.exited));
    for (const agent of agents) {
      expect(agent.lines.find((l) => l.event === 'stopped')).toMatchObject({ undelivered: 0 });
    }
    const taken = agents.map((agent, i) => ({
      site: `rabbit-${i}`,
      seqs: agent.lines.filter((l) => l.event === 'sample' && l.stored === true).map((l) => Number(l.seq)),
    }));
    const total = taken.reduce((n, t) => n + t.seqs.length, 0);
    await waitFor('every taken sample stored', async () => (await storedCount()) >= total, 120_000, 500);

    const rows = await query<{ site_id: string; seq: string }>(
      'SELECT site_id, seq FROM samples ORDER BY site_id, seq',
    );
    for (const { site, seqs } of taken) {
      const stored = rows.filter((r) => r.site_id === site).map((r) => Number(r.seq));
      expect(stored).toEqual([...seqs].sort((x, y) => x - y));
    }
    expect(rows).toHaveLength(total);

    b.child.kill('SIGTERM');
    await once(b.child, 'exit');
    const stopped = b.lines.find((l) => l.event === 'stopped') as { input?: { redelivered: number } } | undefined;
    const counters = await query<{ name: string; value: string }>('SELECT * FROM counters');
    // What the store's identity absorbed: redelivered batches whose samples were already committed.
    console.info(
      JSON.stringify({
        samples: total,
        redeliveredToSurvivor: stopped?.input?.redelivered,
        duplicatesAbsorbed: counters.find((c) => c.name === 'duplicates')?.value ?? '0',
        mqttConnectionsPerNode: [...balancer.accepted.values()],
      }),
    );
    expect(stopped?.input).toMatchObject({ redelivered: expect.any(Number), acked: expect.any(Number) });
  });
});
