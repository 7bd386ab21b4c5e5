import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Collector } from '@pantau/collector';
import { decodePayload, encodePayload, type SampleInput } from '@pantau/shared';
import mqtt from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { brokerRoundTrip } from '../../agent/src/check/broker-round-trip.js';
import { AGENT_MAIN, runBin } from '../helpers/bins.js';
import {
  SHIPPED_ACL,
  SHIPPED_CONF,
  type ShippedMosquitto,
  startShippedMosquitto,
} from '../helpers/shipped-mosquitto.js';
import { buildSite, range, storedSeqs } from '../helpers/site.js';
import { startCollector } from '../helpers/stack.js';
import { waitFor } from '../helpers/wait.js';

const repoFile = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

/** The fenced blocks of a Markdown text, as written. */
function codeBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
}

describe('docs/storage.md and the README say what deploy/mosquitto holds', () => {
  it('quotes the shipped mosquitto.conf and ACL as they are', () => {
    const blocks = codeBlocks(repoFile('docs/storage.md'));
    expect(blocks).toContain(readFileSync(SHIPPED_CONF, 'utf8'));
    expect(blocks).toContain(readFileSync(SHIPPED_ACL, 'utf8'));
  });

  it("the README's collector config logs in as the ACL's collector user, on the collectors' listener", () => {
    const user = /^user (\S+)$/m.exec(readFileSync(SHIPPED_ACL, 'utf8'))?.[1];
    const port = /^listener (\d+) 127\.0\.0\.1$/m.exec(readFileSync(SHIPPED_CONF, 'utf8'))?.[1];
    const collectorYaml = codeBlocks(repoFile('README.md')).find((b) => b.includes('embeddedBroker:'));
    expect(collectorYaml).toContain(`  url: mqtt://127.0.0.1:${port} # PANTAU_MQTT_URL`);
    expect(collectorYaml).toContain(`  username: ${user} # PANTAU_MQTT_USERNAME`);
  });
});

/** A batch of `count` one-sample-a-minute samples from `firstSeq`, columnar as agents send it. */
function batch(siteId: string, firstSeq: number, count: number): Buffer {
  const nowMs = Date.now();
  const samples: SampleInput[] = range(firstSeq, firstSeq + count - 1).map((seq) => ({
    seq,
    bootId: 'b00710000000',
    wallMs: nowMs - 86_400_000 + seq * 60_000,
    clockSynced: true,
    uptimeMs: 3_600_000 + seq * 60_000,
    probes: { uptime: { systemUptimeMs: 3_600_000 + seq * 60_000, agentUptimeMs: seq * 60_000, error: null } },
  }));
  return encodePayload('telemetry', { v: 1, siteId, agentVersion: 'test', sentAtMs: nowMs, samples }, 'columnar');
}

describe('the shipped broker keeps what it acknowledged while the collector is away', () => {
  const SITES = range(1, 50).map((i) => `kutim-${String(i).padStart(3, '0')}`);
  const SAMPLES_PER_BATCH = 2;
  let broker: ShippedMosquitto;
  let dir: string;
  let collector: Collector | undefined;

  beforeAll(async () => {
    broker = await startShippedMosquitto({ sites: SITES });
    dir = mkdtempSync(join(tmpdir(), 'pantau-queue-'));
  });
  afterEach(async () => {
    await collector?.stop();
    collector = undefined;
  });
  afterAll(async () => {
    await broker?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  // One connection, no share group: Mosquitto 2.0 keeps a plain subscription across its restarts,
  // not a shared one (docs/storage.md, "The broker").
  const startNocCollector = () =>
    startCollector(broker.nocUrl, 'pantau-collector', {
      sqlitePath: join(dir, 'pantau.sqlite'),
      mqtt: { username: 'pantau-collector', password: broker.password('pantau-collector') },
      gaps: { enabled: false },
    });

  /** Each site publishes `batches` batches after `fromBatch`, QoS 1, every one acknowledged by the broker. */
  async function publishAsSites(fromBatch: number, batches: number): Promise<void> {
    await Promise.all(
      SITES.map(async (siteId) => {
        const site = await mqtt.connectAsync(broker.sitesUrl, {
          username: siteId,
          password: broker.password(siteId),
          clean: true,
        });
        try {
          for (let b = fromBatch; b < fromBatch + batches; b++) {
            const topic = `pantau/v1/site/${siteId}/telemetry`;
            await site.publishAsync(topic, batch(siteId, b * SAMPLES_PER_BATCH, SAMPLES_PER_BATCH), { qos: 1 });
          }
        } finally {
          await site.endAsync();
        }
      }),
    );
  }

  it('5,000 batches, a clean broker restart, 1,000 more, an autosave and a crash: all stored exactly once', {
    timeout: 180_000,
  }, async () => {
    // The collector's sessions exist (it subscribed once), then it goes away.
    collector = await startNocCollector();
    await collector.stop();
    collector = undefined;

    await publishAsSites(0, 100);
    await broker.halt();
    await broker.resume();
    await publishAsSites(100, 20);
    // The autosave writes the database; a crash after it loses nothing acknowledged before it.
    await broker.save();
    await broker.crash();
    await broker.resume();

    collector = await startNocCollector();
    const expected = SITES.length * 120 * SAMPLES_PER_BATCH;
    const running = collector;
    await waitFor(
      `all ${expected} samples`,
      async () => (await running.store.listSites()).reduce((n, s) => n + s.samples, 0) >= expected,
      120_000,
      250,
    );
    for (const siteId of SITES) expect(await storedSeqs(running, siteId)).toEqual(range(0, 239));
    expect(running.ingest.counters()).toMatchObject({ rejected: 0, duplicates: 0 });
  });
});

describe('a collector on a shared subscription, across a restart of the shipped broker', () => {
  let broker: ShippedMosquitto;
  let collector: Collector | undefined;
  beforeAll(async () => {
    broker = await startShippedMosquitto({ sites: ['kutim-001'] });
  });
  afterAll(async () => {
    await collector?.stop();
    await broker?.stop();
  });

  it('subscribes again, since Mosquitto 2.0 forgets shared subscriptions yet says the session is there', async () => {
    collector = await startCollector(broker.nocUrl, 'pantau-collector', {
      mqtt: { username: 'pantau-collector', password: broker.password('pantau-collector'), shareGroup: 'noc' },
      ingest: { connections: 2 },
      gaps: { enabled: false },
    });
    const running = collector;
    const site = mqtt.connect(broker.sitesUrl, {
      username: 'kutim-001',
      password: broker.password('kutim-001'),
      reconnectPeriod: 100,
    });
    let seq = 0;
    /** Publishes the next batch and says whether it was stored within a second. */
    const delivered = async () => {
      seq += 1;
      await site.publishAsync('pantau/v1/site/kutim-001/telemetry', batch('kutim-001', seq, 1), { qos: 1 });
      const stored = async () => (await storedSeqs(running, 'kutim-001')).includes(seq);
      return waitFor(`seq ${seq}`, stored, 1000).catch(() => false);
    };
    try {
      await waitFor('the site connected', () => site.connected);
      expect(await delivered()).toBe(true);
      await broker.halt();
      await broker.resume();
      // Batches sent before the collector is back on the broker have no subscription to go to.
      await waitFor('a batch stored after the restart', delivered, 20_000, 0);
      const after = seq;
      for (let i = 0; i < 10; i++) expect(await delivered()).toBe(true);
      expect((await storedSeqs(running, 'kutim-001')).filter((s) => s > after)).toEqual(range(after + 1, after + 10));
    } finally {
      await site.endAsync();
    }
  });
});

function status(siteId: string, state: 'online' | 'offline'): Buffer {
  const reason = state === 'online' ? ('connected' as const) : ('shutdown' as const);
  const message = {
    v: 1 as const,
    siteId,
    state,
    reason,
    epoch: 1,
    atMs: Date.now(),
    bootId: 'b0071',
    agentVersion: 'x',
  };
  return encodePayload('status', message);
}

/** Statuses the NOC sees, by site, as a collector login on the collectors' listener. */
async function watchStatuses(broker: ShippedMosquitto) {
  const watcher = await mqtt.connectAsync(broker.nocUrl, {
    username: 'pantau-collector',
    password: broker.password('pantau-collector'),
    clientId: 'pantau-collector-watch',
    clean: true,
  });
  // Every message counts, a malformed one too: what matters is what reached the NOC.
  const seen: Record<string, string[]> = {};
  watcher.on('message', (topic, payload) => {
    const status = decodePayload('status', payload);
    const siteId = topic.split('/')[3] ?? '';
    seen[siteId] = [...(seen[siteId] ?? []), status.ok ? status.value.state : 'undecodable'];
  });
  await watcher.subscribeAsync('pantau/v1/site/+/status', { qos: 1 });
  return { watcher, seen };
}

describe('the shipped broker binds the client id to the login', () => {
  let broker: ShippedMosquitto;
  beforeAll(async () => {
    broker = await startShippedMosquitto({ sites: ['site-a', 'site-b'] });
  });
  afterAll(() => broker?.stop());

  it('a stolen site login cannot knock another site offline, nor speak for it', { timeout: 60_000 }, async () => {
    const { watcher, seen } = await watchStatuses(broker);
    const victim = await buildSite('site-b', broker.sitesUrl, {
      mqtt: {
        url: broker.sitesUrl,
        username: 'site-b',
        password: broker.password('site-b'),
        backoffMinMs: 100,
        backoffMaxMs: 1000,
        startDelayMaxMs: 0,
      },
    });
    try {
      await victim.agent.start();
      await waitFor("site-b's online status", () => seen['site-b']?.includes('online'));
      const stolen = { username: 'site-a', password: broker.password('site-a') };
      // The agent's own client id, the id the broker gives site-b, and again: each a takeover attempt.
      for (const clientId of ['pantau-agent-site-b', 'site-b', 'pantau-agent-site-b']) {
        const thief = await mqtt.connectAsync(broker.sitesUrl, { ...stolen, clientId, clean: true });
        await thief.publishAsync('pantau/v1/site/site-b/status', status('site-b', 'offline'), { qos: 1, retain: true });
        await thief.publishAsync('pantau/v1/site/site-b/telemetry', batch('site-b', 1000, 1), { qos: 1 });
        await thief.endAsync();
      }
      // site-a's own status, sent last on the same path, shows the forged ones had their chance.
      const site = await mqtt.connectAsync(broker.sitesUrl, { ...stolen, clean: true });
      await site.publishAsync('pantau/v1/site/site-a/status', status('site-a', 'online'), { qos: 1 });
      await site.endAsync();
      await waitFor("site-a's own status", () => seen['site-a']?.length);
      expect(seen['site-b']).toEqual(['online']);
      expect(victim.agent.stats.connected).toBe(true);
    } finally {
      await victim.agent.stop();
      await watcher.endAsync();
    }
  });
});

describe("pantau-agent check's broker round trip under the shipped ACL", () => {
  let broker: ShippedMosquitto;
  let dir: string;
  beforeAll(async () => {
    broker = await startShippedMosquitto({ sites: ['kutim-sangatta-01'] });
    dir = mkdtempSync(join(tmpdir(), 'pantau-check-acl-'));
    writeFileSync(join(dir, 'synchronized'), '');
  });
  afterAll(async () => {
    await broker?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  const siteConfig = (url: string, password: string) => {
    const file = join(dir, 'agent.yaml');
    writeFileSync(
      file,
      [
        'siteId: kutim-sangatta-01',
        `dataDir: ${join(dir, 'data')}`,
        `mqtt: { url: "${url}", username: kutim-sangatta-01, password: "${password}" }`,
        'probes: { latency: { detectGateway: false, targets: [{ role: noc, host: 127.0.0.1, count: 1 }] } }',
        `clock: { syncedFile: ${join(dir, 'synchronized')} }`,
        '',
      ].join('\n'),
    );
    return file;
  };

  it('passes with the login the shipped script made', async () => {
    const config = siteConfig(broker.sitesUrl, broker.password('kutim-sangatta-01'));
    const result = await runBin(AGENT_MAIN, ['check', '--config', config]);
    expect(result.stdout).toMatch(/^\[ PASS \] broker {3}round trip \d+ ms/m);
    expect(result.code).toBe(0);
  });

  it('fails under an ACL without the check rule (as the one documented before), pointing at the ACL', async () => {
    const withoutCheck = readFileSync(SHIPPED_ACL, 'utf8').replace(/^pattern readwrite .*\/check\n/m, '');
    const old = await startShippedMosquitto({ sites: ['kutim-sangatta-01'] }, { acl: withoutCheck });
    try {
      const config = siteConfig(old.sitesUrl, old.password('kutim-sangatta-01'));
      const result = await runBin(AGENT_MAIN, ['check', '--config', config]);
      expect(result.stdout).toMatch(/^\[ FAIL \] broker {3}no echo on pantau\/v1\/site\/kutim-sangatta-01\/check/m);
      expect(result.stdout).toContain('-> fix: connected, but a test message did not come back: ask the NOC');
      expect(result.code).toBe(1);
    } finally {
      await old.stop();
    }
  });

  it('says so at once when another login as the site (a running agent) takes its connection', async () => {
    // The check's connection passes its CONNECT and no more, so it stays waiting for its echo.
    const proxy = await holdAfterConnect(Number(new URL(broker.sitesUrl).port));
    try {
      const started = Date.now();
      const checking = brokerRoundTrip({
        url: `mqtt://127.0.0.1:${proxy.port}`,
        username: 'kutim-sangatta-01',
        password: broker.password('kutim-sangatta-01'),
        topicRoot: 'pantau/v1',
        siteId: 'kutim-sangatta-01',
        timeoutMs: 20_000,
      });
      await waitFor('the check connected', () => proxy.connected());
      const agent = await mqtt.connectAsync(broker.sitesUrl, {
        username: 'kutim-sangatta-01',
        password: broker.password('kutim-sangatta-01'),
        clientId: 'pantau-agent-kutim-sangatta-01',
      });
      const result = await checking;
      await agent.endAsync();
      expect(!result.ok && result.code).toBe('broker_taken_over');
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      await proxy.close();
    }
  });
});

/** A loopback proxy that forwards a client's first packet (its CONNECT) and drops what it sends after. */
async function holdAfterConnect(targetPort: number) {
  const sockets = new Set<Socket>();
  let connacks = 0;
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    let first = true;
    client.on('data', (chunk: Buffer) => {
      if (first) upstream.write(chunk);
      first = false;
    });
    upstream.on('data', (chunk: Buffer) => {
      // CONNACK is packet type 2.
      if (chunk[0] === 0x20) connacks += 1;
      client.write(chunk);
    });
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      a.on('close', () => b.destroy());
      a.on('error', () => b.destroy());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    connected: () => connacks > 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
