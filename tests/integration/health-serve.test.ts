import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyWebhook } from '@pantau/collector';
import { alertTopic, DEFAULT_TOPIC_ROOT } from '@pantau/shared';
import Database from 'better-sqlite3';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentProcess, startAgentProcess } from '../helpers/agent-process.js';
import { type Alertmanager, startAlertmanager } from '../helpers/alertmanager.js';
import { COLLECTOR_MAIN, runBin } from '../helpers/bins.js';
import { type CollectorProcess, startCollectorProcess } from '../helpers/collector-process.js';
import { type Mosquitto, startMosquitto } from '../helpers/mosquitto.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import { waitFor } from '../helpers/wait.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

const SECRET = 'pantau-test-secret-0123';
const temp = tempDirs();
let mosquitto: Mosquitto;
let alertmanager: Alertmanager;
let webhook: WebhookReceiver;
const agents: AgentProcess[] = [];
const collectors: CollectorProcess[] = [];

interface Hook {
  readonly type: string;
  readonly event: string;
  readonly alert: { siteId: string; kind: string; cause: string; detail: string } | null;
  readonly incident: { kind: string; cause: string } | null;
}

const hooks = (): Hook[] => webhook.requests.filter((r) => r.status === 204).map((r) => JSON.parse(r.body) as Hook);
const siteHooks = (siteId: string, event?: string) =>
  hooks().filter((h) => h.alert?.siteId === siteId && (event === undefined || h.event === event));

beforeAll(async () => {
  mosquitto = await startMosquitto({ persistence: true });
  webhook = await startWebhookReceiver();
  alertmanager = await startAlertmanager({});
}, 120_000);
afterAll(async () => {
  for (const a of agents) await a.kill();
  for (const c of collectors) await c.kill();
  await alertmanager?.stop();
  await webhook?.close();
  await mosquitto?.stop();
  temp.removeAll();
});

/** A collector config for quick tests: 2 s delivery, 1 s passes, short tolerances, both HTTP sinks. */
function writeConfig(dir: string, clientId: string): string {
  const path = join(dir, 'collector.yaml');
  writeFileSync(
    path,
    [
      `mqtt: { url: "${mosquitto.url}", clientId: ${clientId}, keepaliveSec: 5, reconnectMs: 300 }`,
      `store: { sqlitePath: "${join(dir, 'pantau.sqlite')}" }`,
      'log: { level: info }',
      'health:',
      '  evaluateIntervalSec: 1',
      '  syncIntervalSec: 1',
      '  defaults: { sampleIntervalSec: 1, deliveryIntervalSec: 2 }',
      '  offline: { silenceGraceSec: 5, willSettleSec: 1 }',
      '  noc: { startupGraceSec: 0, reconnectGraceSec: 8 }',
      '  alerts:',
      '    language: en',
      '    tolerance: { offline: { fireAfterSec: 1, resolveAfterSec: 2 } }',
      '    grouping: { waitSec: 1 }',
      '  delivery:',
      `    webhook: { url: "${webhook.url}", secret: ${SECRET} }`,
      `    alertmanager: { url: "${alertmanager.url}", repostSec: 10 }`,
      '    retryMinMs: 200',
      '    retryMaxMs: 2000',
    ].join('\n'),
  );
  return path;
}

const CSV_HEADER =
  'site_id,name,kabupaten_code,kabupaten,kecamatan_code,kecamatan,desa_code,desa,group,latitude,longitude,lvd_volts,sample_interval_sec,delivery_interval_sec';
const csvRow = (siteId: string, kecamatanCode: string) =>
  `${siteId},Kantor Desa ${siteId},64.08,Kutai Timur,${kecamatanCode},Kecamatan ${kecamatanCode},${kecamatanCode}.2001,Desa,village_office,0.51,117.6,11.5,1,2`;

/** A command as an operator runs it; a loaded machine may take many seconds to start Node. */
const cli = (config: string, ...args: string[]) =>
  runBin(COLLECTOR_MAIN, [...args, '--config', config], { timeoutMs: 180_000 });

function startAgent(siteId: string, dir: string): AgentProcess {
  const agent = startAgentProcess({
    PANTAU_SITE_ID: siteId,
    PANTAU_DATA_DIR: join(dir, `agent-${siteId}`),
    PANTAU_MQTT_URL: mosquitto.url,
    PANTAU_MQTT_START_DELAY_MAX_MS: '0',
    PANTAU_MQTT_KEEPALIVE_SEC: '3',
    PANTAU_SAMPLE_INTERVAL_SEC: '1',
    PANTAU_DELIVERY_INTERVAL_SEC: '1',
    PANTAU_LATENCY_TARGETS: '[]',
    PANTAU_LOG_LEVEL: 'info',
  });
  agents.push(agent);
  return agent;
}

interface HealthJson {
  readonly sites: { siteId: string; registered: boolean; lastHeardMs: number | null; states: { kind: string }[] }[];
}

async function json<T>(config: string, ...args: string[]): Promise<T> {
  const result = await cli(config, ...args, '--json');
  if (result.code !== 0) throw new Error(`${args.join(' ')} (${result.code}): ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

/** Reads the collector's database beside it, as an operator's sqlite3 would (polling a command is slow here). */
function query<T>(path: string, sql: string): T[] {
  const db = new Database(path, { readonly: true, timeout: 5000 });
  try {
    return db.prepare<[], T>(sql).all();
  } finally {
    db.close();
  }
}

const heard = (db: string, siteId: string) =>
  query<{ state: string }>(db, `SELECT state FROM health_sites WHERE site_id = '${siteId}'`).some(
    (r) => (JSON.parse(r.state) as { lastHeardMs: number | null }).lastHeardMs !== null,
  );

describe('health and alerts in pantau-collector serve', () => {
  it('a SIGKILLed and a SIGSTOPped agent: offline alerts at the webhook and Alertmanager, acked and silenced by the CLI, not sent again after a collector restart', {
    timeout: 240_000,
  }, async () => {
    const dir = temp.make('health-serve');
    const config = writeConfig(dir, 'collector-health-a');
    const db = join(dir, 'pantau.sqlite');
    const sitesFile = join(dir, 'sites.csv');
    writeFileSync(
      sitesFile,
      [CSV_HEADER, csvRow('kutim-kill', '64.08.05'), csvRow('kutim-stop', '64.08.10')].join('\n'),
    );
    expect((await cli(config, 'sites', 'import', sitesFile)).stdout).toMatch(/2 added, 0 updated, 0 unchanged/);
    // Idempotent: the same file again changes nothing.
    expect((await cli(config, 'sites', 'import', sitesFile)).stdout).toMatch(/0 added, 0 updated, 2 unchanged/);

    let collector = startCollectorProcess(config);
    collectors.push(collector);
    await collector.waitForEvent('health_started');
    const killed = startAgent('kutim-kill', dir);
    const stopped = startAgent('kutim-stop', dir);
    await waitFor('both sites heard', () => heard(db, 'kutim-kill') && heard(db, 'kutim-stop'));

    // SIGKILL: the TCP connection dies at once, the broker publishes the will.
    const killedAtMs = Date.now();
    await killed.kill();
    const [firing] = await waitFor('the webhook firing for kutim-kill', () => {
      const list = siteHooks('kutim-kill', 'firing');
      return list.length > 0 ? list : null;
    });
    expect(firing?.alert).toMatchObject({ siteId: 'kutim-kill', kind: 'offline', cause: 'unknown' });
    const request = webhook.requests.find((r) => r.body.includes('"siteId":"kutim-kill"'));
    const signature = String(request?.headers['x-pantau-signature']);
    expect(verifyWebhook(SECRET, String(request?.headers['x-pantau-timestamp']), request?.body ?? '', signature)).toBe(
      true,
    );
    const [am] = await waitFor('Alertmanager holding kutim-kill', async () => {
      const list = await alertmanager.alerts(['site="kutim-kill"', 'alertname="pantau_offline"']);
      return list.length > 0 ? list : null;
    });
    expect(am?.labels).toMatchObject({ kabupaten: 'Kutai Timur', kind: 'offline', severity: 'critical' });
    expect(Date.now() - killedAtMs).toBeLessThan(60_000);

    // Acknowledged from the command line: the running collector records it.
    const ack = await cli(config, 'alerts', 'ack', 'kutim-kill', '--by', 'ayu');
    expect(ack.code).toBe(0);
    await waitFor('the acknowledgement recorded', () =>
      query<{ record: string }>(db, "SELECT record FROM alerts WHERE key = 'kutim-kill/offline'").some(
        (r) => (JSON.parse(r.record) as { ackBy: string | null }).ackBy === 'ayu',
      ),
    );
    const listed = await cli(config, 'alerts');
    expect(listed.stdout).toMatch(/kutim-kill\/offline\s+firing\s+unknown \(connection_lost\).*ayu/);
    expect((await cli(config, 'alerts', 'ack', 'nobody-here')).code).toBe(1);

    // Silenced before it dies silently (SIGSTOP: the will comes after 1.5 x keepalive).
    const silence = await cli(config, 'alerts', 'silence', '--site', 'kutim-stop', '--for', '1h', '--comment', 'PLN');
    expect(silence.stdout).toMatch(/^sil-[0-9a-f]+: silence of site kutim-stop/);
    // The collector reads controls every second; the stopped agent's will comes 4.5 s after its
    // last packet, so the silence is in force well before the alert could fire.
    stopped.child.kill('SIGSTOP');
    const retained = await retainedAlert('kutim-stop');
    expect(retained).toMatchObject({ state: 'firing', kind: 'offline', suppressed: 'silence' });
    const waiting = query<{ n: number }>(db, "SELECT count(*) AS n FROM alert_outbox WHERE sink != 'mqtt'");
    expect(waiting).toEqual([{ n: 0 }]);
    expect(siteHooks('kutim-stop')).toEqual([]);
    expect(await alertmanager.alerts(['site="kutim-stop"'])).toEqual([]);

    // A collector restart: state is loaded, nothing is told again.
    const before = hooks().filter((h) => h.alert !== null).length;
    await collector.stop();
    collector = startCollectorProcess(config);
    collectors.push(collector);
    await collector.waitForEvent('health_started');
    const restartedMs = Date.now();
    await waitFor('five seconds of passes after the restart', () =>
      query<{ value: string }>(db, "SELECT value FROM health_meta WHERE key = 'saved_at_ms'").some(
        (r) => Number(r.value) > restartedMs + 5000,
      ),
    );
    const after = hooks().filter((h) => h.alert !== null);
    expect(after.length).toBe(before);
    const health = await json<HealthJson>(config, 'health', '--site', 'kutim-kill');
    expect(health.sites[0]?.states.map((s) => s.kind)).toEqual(['offline']);
    stopped.child.kill('SIGCONT');
    await collector.stop();
    for (const agent of agents.splice(0)) await agent.kill();
  });

  it('a broker restart is one NOC incident and no per-site alert', { timeout: 240_000 }, async () => {
    const dir = temp.make('health-broker');
    const config = writeConfig(dir, 'collector-health-b');
    const db = join(dir, 'pantau.sqlite');
    const sitesFile = join(dir, 'sites.csv');
    // Swapped coordinates and a kecamatan of another kabupaten: named, and nothing imported.
    const bad = csvRow('paser-b', '64.01.02').replace('0.51,117.6', '117.6,0.51');
    writeFileSync(sitesFile, [CSV_HEADER, csvRow('paser-a', '64.08.01'), bad].join('\n'));
    const refused = await cli(config, 'sites', 'import', sitesFile);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/line 3, kecamatan_code: 64\.01\.02 is not a kecamatan of kabupaten 64\.08/);
    expect(refused.stderr).toMatch(/line 3, latitude: is north of Indonesia/);
    writeFileSync(sitesFile, [CSV_HEADER, csvRow('paser-a', '64.08.01'), csvRow('paser-b', '64.08.02')].join('\n'));
    expect((await cli(config, 'sites', 'import', sitesFile)).stdout).toMatch(/2 added/);
    const collector = startCollectorProcess(config);
    collectors.push(collector);
    await collector.waitForEvent('health_started');
    startAgent('paser-a', dir);
    startAgent('paser-b', dir);
    await waitFor('both sites heard', () => heard(db, 'paser-a') && heard(db, 'paser-b'));
    const before = webhook.requests.length;
    const since = () => webhook.requests.slice(before).map((r) => JSON.parse(r.body) as Hook);

    // A clean stop publishes every client's will; the collector loses its own connection too.
    await mosquitto.halt();
    await collector.waitForEvent('broker_connection_lost');
    await mosquitto.resume();
    const resumedMs = Date.now();
    await waitFor('the NOC incident resolved', () =>
      since().some((h) => h.incident?.kind === 'noc' && h.event === 'resolved'),
    );
    // Both sites are back and judged on their own again for a while: still nothing about them.
    await waitFor('the sites heard again, and passes 20 s after the broker came back', () => {
      const states = query<{ state: string }>(db, 'SELECT state FROM health_sites').map(
        (r) => JSON.parse(r.state) as { siteId: string; lastHeardMs: number | null },
      );
      const back = ['paser-a', 'paser-b'].every((id) =>
        states.some((s) => s.siteId === id && (s.lastHeardMs ?? 0) > resumedMs),
      );
      const saved = query<{ value: string }>(db, "SELECT value FROM health_meta WHERE key = 'saved_at_ms'");
      return back && saved.some((r) => Number(r.value) > resumedMs + 20_000);
    });
    const told = since();
    expect(told.filter((h) => h.incident?.kind === 'noc').map((h) => [h.event, h.incident?.cause])).toEqual([
      ['firing', 'broker_connection_lost'],
      ['resolved', 'broker_connection_lost'],
    ]);
    expect(told.filter((h) => h.alert !== null)).toEqual([]);
    await collector.stop();
  });
});

/** The retained alert state a tool subscribing to the alert topic sees. */
async function retainedAlert(siteId: string): Promise<Record<string, unknown>> {
  const client = await mqtt.connectAsync(mosquitto.url);
  const topic = alertTopic(DEFAULT_TOPIC_ROOT, siteId, 'offline');
  let latest: Record<string, unknown> | null = null;
  client.on('message', (_t, payload) => {
    latest = JSON.parse(payload.toString()) as Record<string, unknown>;
  });
  try {
    await client.subscribeAsync(topic, { qos: 1 });
    return await waitFor(`a retained firing alert on ${topic}`, () =>
      latest !== null && (latest as { state?: string }).state === 'firing' ? latest : null,
    );
  } finally {
    await client.endAsync();
  }
}
