import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_TOPIC_ROOT, encodePayload, siteTopic } from '@pantau/shared';
import mqtt from 'mqtt';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CollectorProcess, startCollectorProcess } from '../helpers/collector-process.js';
import { type Mosquitto, startMosquitto } from '../helpers/mosquitto.js';
import { type Postgres, queryRows, startPostgres } from '../helpers/postgres.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import { waitFor } from '../helpers/wait.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

const SECRET = 'pantau-failover-secret-01';
const SITES = ['fo-1', 'fo-2', 'fo-3'];
/** The site whose agent dies after the takeover: its offline alert must still reach the webhook. */
const DYING = 'fo-2';
const PUBLISH_EVERY_MS = 300;
/**
 * A restart's grace as long as the test: a will after the takeover fires only because the takeover
 * is a handover (no grace), not a restart.
 */
const RESTART_GRACE_SEC = 900;
const temp = tempDirs();
let postgres: Postgres;
let mosquitto: Mosquitto;
let webhook: WebhookReceiver;
let url: string;
const collectors: CollectorProcess[] = [];

beforeAll(async () => {
  postgres = await startPostgres();
  url = await postgres.createDatabase('failover');
  mosquitto = await startMosquitto();
  webhook = await startWebhookReceiver();
}, 120_000);
afterAll(async () => {
  for (const c of collectors) await c.kill();
  await webhook?.close();
  await mosquitto?.stop();
  await postgres?.stop();
  temp.removeAll();
});

/**
 * Short lease and passes: a takeover within seconds, alerts within seconds of a will. Each test has
 * its own share group: a stopped collector's session stays subscribed (its share waits for it).
 */
function writeConfig(dir: string, clientId: string, dbUrl: string, shareGroup: string, startupGraceSec = 0): string {
  const path = join(dir, `${clientId}.yaml`);
  writeFileSync(
    path,
    [
      `mqtt: { url: "${mosquitto.url}", clientId: ${clientId}, shareGroup: ${shareGroup}, keepaliveSec: 5, reconnectMs: 300 }`,
      `store: { postgresUrl: "${dbUrl}", postgresPoolSize: 4, lease: { ttlMs: 3000, renewMs: 500, feedPollMs: 300 } }`,
      'log: { level: info }',
      'health:',
      '  evaluateIntervalSec: 1',
      '  syncIntervalSec: 1',
      '  defaults: { sampleIntervalSec: 1, deliveryIntervalSec: 2 }',
      '  offline: { silenceGraceSec: 20, willSettleSec: 1 }',
      `  noc: { startupGraceSec: ${startupGraceSec}, reconnectGraceSec: 5 }`,
      '  alerts:',
      '    unregisteredSites: alert',
      '    tolerance: { offline: { fireAfterSec: 1, resolveAfterSec: 2 } }',
      '    grouping: { waitSec: 1 }',
      '  delivery:',
      '    mqtt: { enabled: false }',
      `    webhook: { url: "${webhook.url}", secret: ${SECRET} }`,
      '    retryMinMs: 200',
      '    retryMaxMs: 2000',
    ].join('\n'),
  );
  return path;
}

/** A site's agent as the broker sees it: a retained birth, a retained will, a batch every 300 ms. */
async function simAgent(siteId: string) {
  const status = (state: 'online' | 'offline') =>
    encodePayload('status', {
      v: 1,
      siteId,
      state,
      reason: state === 'online' ? 'connected' : 'connection_lost',
      epoch: 1,
      atMs: Date.now(),
      bootId: 'b1',
      agentVersion: 'sim',
    });
  const statusTopic = siteTopic(DEFAULT_TOPIC_ROOT, siteId, 'status');
  const client = await mqtt.connectAsync(mosquitto.url, {
    clientId: `agent-${siteId}`,
    keepalive: 5,
    reconnectPeriod: 0,
    will: { topic: statusTopic, payload: status('offline'), qos: 1, retain: true },
  });
  await client.publishAsync(statusTopic, status('online'), { qos: 1, retain: true });
  let seq = 0;
  const publishing = new Set<Promise<unknown>>();
  const timer = setInterval(() => {
    const nowMs = Date.now();
    const payload = encodePayload('telemetry', {
      v: 1,
      siteId,
      agentVersion: 'sim',
      sentAtMs: nowMs,
      samples: [{ seq, bootId: 'b1', wallMs: nowMs, clockSynced: true, uptimeMs: 60_000 + seq * PUBLISH_EVERY_MS }],
    });
    seq++;
    const sent = client.publishAsync(siteTopic(DEFAULT_TOPIC_ROOT, siteId, 'telemetry'), payload, { qos: 1 });
    publishing.add(sent);
    void sent.finally(() => publishing.delete(sent));
  }, PUBLISH_EVERY_MS);
  return {
    siteId,
    /** Samples published (and acknowledged by the broker once `stop` resolved). */
    published: () => seq,
    /** Stops publishing; waits until the broker holds every batch sent. */
    async stop() {
      clearInterval(timer);
      await Promise.all(publishing);
    },
    /** Dies as a power cut does: the socket closes without DISCONNECT, so the broker publishes the will. */
    async die() {
      await this.stop();
      client.stream.destroy();
    },
    async end() {
      await this.stop();
      await client.endAsync();
    },
  };
}

function query<T extends pg.QueryResultRow>(sql: string, dbUrl = url): Promise<T[]> {
  return queryRows<T>(dbUrl, sql);
}

/** Every site has been heard by the evaluator (its health state says when it last was). */
async function heardAll(sites: readonly string[], dbUrl: string): Promise<boolean> {
  const rows = await query<{ site_id: string; state: string }>('SELECT site_id, state FROM health_sites', dbUrl);
  const heard = rows.filter((r) => (JSON.parse(r.state) as { lastHeardMs: number | null }).lastHeardMs !== null);
  return sites.every((s) => heard.some((r) => r.site_id === s));
}

/** Wait until the evaluator has saved passes for `ms` past now. */
async function passesFor(ms: number, dbUrl: string): Promise<void> {
  const fromMs = Date.now();
  await waitFor(`${ms} ms of evaluation passes`, async () => {
    const rows = await query<{ value: string }>("SELECT value FROM health_meta WHERE key = 'saved_at_ms'", dbUrl);
    return rows.some((r) => Number(r.value) > fromMs + ms);
  });
}

const delivered = () => webhook.requests.filter((r) => r.status === 204);
/** What the receiver accepted more than once (by notification id), to show if any. */
function deliveredTwice(): string[] {
  const id = (r: { headers: Record<string, unknown> }) => String(r.headers['x-pantau-notification-id']);
  const ids = delivered().map(id);
  return delivered()
    .filter((r) => ids.indexOf(id(r)) !== ids.lastIndexOf(id(r)))
    .map((r) => `${r.receivedAtMs} ${r.body.slice(0, 300)}`);
}
const offlineFirings = (siteId: string) =>
  delivered().filter((r) => {
    const body = JSON.parse(r.body) as { event: string; alert: { siteId: string; kind: string } | null };
    return body.event === 'firing' && body.alert?.siteId === siteId && body.alert.kind === 'offline';
  });

describe('one health evaluator among two collectors on a shared subscription and PostgreSQL', () => {
  it('the leader killed mid-stream: no sample lost or stored twice, the other takes over, an offline alert is sent once', {
    timeout: 180_000,
  }, async () => {
    const dir = temp.make('failover');
    const configA = writeConfig(dir, 'collector-a', url, 'killed', RESTART_GRACE_SEC);
    const configB = writeConfig(dir, 'collector-b', url, 'killed', RESTART_GRACE_SEC);
    let a = startCollectorProcess(configA);
    collectors.push(a);
    const led = await a.waitForEvent('evaluator_started');
    const b = startCollectorProcess(configB);
    collectors.push(b);
    await b.waitForEvent('started');

    const agents = await Promise.all(SITES.map(simAgent));
    // The leader hears every site, though it receives only its share of their batches.
    await waitFor('every site heard by the evaluator', () => heardAll(SITES, url));
    expect(b.lines.some((l) => l.event === 'evaluator_started')).toBe(false);

    await a.kill();
    const killedMs = Date.now();
    const takeover = await b.waitForEvent('evaluator_started');
    expect(Number(takeover.epoch)).toBeGreaterThan(Number(led.epoch));
    // The stream goes on into the new leader's time, then one site's agent dies.
    await waitFor('samples stored after the takeover', async () => {
      const [row] = await query<{ n: number }>(
        `SELECT count(*)::int AS n FROM samples WHERE received_ms > ${killedMs}`,
      );
      return (row?.n ?? 0) >= 3 * SITES.length;
    });
    const dying = agents.find((x) => x.siteId === DYING);
    if (dying === undefined) throw new Error('no dying agent');
    const diedMs = Date.now();
    await dying.die();
    await waitFor('the offline alert of the dead site at the webhook', () => offlineFirings(DYING).length > 0);

    // The killed collector comes back: it takes the batches the broker queued for its session, and follows.
    a = startCollectorProcess(configA);
    collectors.push(a);
    await a.waitForEvent('started');
    for (const agent of agents) if (agent.siteId !== DYING) await agent.end();
    const published = new Map(agents.map((x) => [x.siteId, x.published()]));
    await waitFor('every published sample stored', async () => {
      const rows = await query<{ site_id: string; n: number }>(
        'SELECT site_id, count(*)::int AS n FROM samples GROUP BY site_id',
      );
      return SITES.every((s) => rows.find((r) => r.site_id === s)?.n === published.get(s));
    });
    for (const siteId of SITES) {
      const seqs = await query<{ seq: number; n: number }>(
        `SELECT seq::int AS seq, count(*)::int AS n FROM samples WHERE site_id = '${siteId}' GROUP BY seq ORDER BY seq`,
      );
      expect(seqs.map((r) => r.seq)).toEqual(Array.from({ length: published.get(siteId) ?? -1 }, (_, i) => i));
      expect(seqs.every((r) => r.n === 1)).toBe(true);
    }
    // The evaluator saw every site's last sample, whichever collector ingested it (the restarted
    // one ingested those the broker kept for it).
    await waitFor("the evaluator at every site's last sample", async () => {
      const rows = await query<{ site_id: string; state: string }>('SELECT site_id, state FROM health_sites');
      const lastSeq = (siteId: string) => {
        const row = rows.find((r) => r.site_id === siteId);
        return row === undefined
          ? null
          : ((JSON.parse(row.state) as { last: { seq: number } | null }).last?.seq ?? null);
      };
      return SITES.every((s) => lastSeq(s) === (published.get(s) ?? 0) - 1);
    });
    // A few passes after the last alert: nothing is sent again, by either collector.
    await passesFor(3000, url);
    const firings = offlineFirings(DYING);
    expect(firings).toHaveLength(1);
    // Sent by the new leader: after the agent died, which was after the takeover.
    expect(firings[0]?.receivedAtMs).toBeGreaterThanOrEqual(diedMs);
    expect(deliveredTwice()).toEqual([]);
    // The restarted collector follows: the lease stays with the one that took over.
    expect(a.lines.some((l) => l.event === 'evaluator_started')).toBe(false);
    const [lease] = await query<{ holder: string; epoch: string }>(
      'SELECT holder, epoch::text AS epoch FROM evaluator_lease',
    );
    expect(lease?.holder).toMatch(/^collector-b@/);
    expect(Number(lease?.epoch)).toBe(Number(takeover.epoch));
    await b.stop();
    await a.stop();
  });

  it('a paused leader is replaced; resumed, it steps down, and nothing it held is sent twice', {
    timeout: 180_000,
  }, async () => {
    const dbUrl = await postgres.createDatabase('paused');
    const dir = temp.make('paused');
    const p = startCollectorProcess(writeConfig(dir, 'collector-p', dbUrl, 'paused'));
    collectors.push(p);
    const led = await p.waitForEvent('evaluator_started');
    const q = startCollectorProcess(writeConfig(dir, 'collector-q', dbUrl, 'paused'));
    collectors.push(q);
    await q.waitForEvent('started');
    const sites = ['ps-1', 'ps-2'];
    const agents = await Promise.all(sites.map(simAgent));
    await waitFor('every site heard by the evaluator', () => heardAll(sites, dbUrl));

    // SIGSTOP: the process holds its connections but says nothing; the server ends its lock session.
    p.child.kill('SIGSTOP');
    const takeover = await q.waitForEvent('evaluator_started');
    expect(Number(takeover.epoch)).toBeGreaterThan(Number(led.epoch));
    const [dying, living] = agents;
    if (dying === undefined || living === undefined) throw new Error('two agents expected');
    const diedMs = Date.now();
    await dying.die();
    await waitFor('the offline alert of the dead site at the webhook', () => offlineFirings(dying.siteId).length > 0);

    // Resumed, the old leader finds its lease gone (or its next write refused) and stops evaluating.
    const resumedAt = p.lines.length;
    p.child.kill('SIGCONT');
    await p.waitForEvent('evaluator_stopped');
    const afterResume = p.lines.slice(resumedAt);
    expect(afterResume.some((l) => l.event === 'leadership_lost' || l.event === 'write_fenced')).toBe(true);
    expect(afterResume.some((l) => l.event === 'evaluator_started')).toBe(false);
    await passesFor(3000, dbUrl);
    const firings = offlineFirings(dying.siteId);
    expect(firings).toHaveLength(1);
    expect(firings[0]?.receivedAtMs).toBeGreaterThanOrEqual(diedMs);
    expect(deliveredTwice()).toEqual([]);
    const [lease] = await query<{ holder: string; epoch: string }>(
      'SELECT holder, epoch::text AS epoch FROM evaluator_lease',
      dbUrl,
    );
    expect(lease?.holder).toMatch(/^collector-q@/);
    expect(Number(lease?.epoch)).toBe(Number(takeover.epoch));

    // Every sample still stored once, those the paused collector held included.
    await living.end();
    const published = new Map(agents.map((x) => [x.siteId, x.published()]));
    await waitFor('every published sample stored', async () => {
      const rows = await query<{ site_id: string; n: number; seqs: number }>(
        'SELECT site_id, count(*)::int AS n, count(DISTINCT seq)::int AS seqs FROM samples GROUP BY site_id',
        dbUrl,
      );
      return sites.every((s) => {
        const row = rows.find((r) => r.site_id === s);
        return row?.n === published.get(s) && row?.seqs === row?.n;
      });
    });
    await q.stop();
    await p.stop();
  });
});
