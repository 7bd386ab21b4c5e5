import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { shippedAgentLaunch } from '@pantau/agent/launch';
import { decodePayload } from '@pantau/shared';
import mqtt from 'mqtt';
import { startAlertmanager } from '../alertmanager.js';
import { startMosquitto, until } from '../servers.js';
import { startWebhookReceiver, type WebhookReceiver } from '../webhook-receiver.js';
import { DAYS_PER_MONTH, keepaliveBytesPerMonth, MB, measureDay } from '../wire-day.js';
import { createSiteNamespace, type SiteNamespace } from './detection/site-namespace.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const AGENT_MAIN = join(root, 'agent/dist/main.js');
const COLLECTOR_MAIN = join(root, 'collector/dist/main.js');
const WEBHOOK_SECRET = 'bench-alerts-webhook-secret';
/** How much longer than its target a case is waited for before it counts as not detected. */
const GIVE_UP_AFTER_TARGET_MS = 180_000;

/** The keepalives a planner chooses from, each with the delivery interval it goes with. */
export const KEEPALIVES = [
  { keepaliveSec: 60, deliverySec: 300 },
  { keepaliveSec: 120, deliverySec: 300 },
  { keepaliveSec: 330, deliverySec: 300 },
  { keepaliveSec: 930, deliverySec: 900 },
] as const;

export type CutMethod = 'sigstop' | 'netns';

interface Case {
  readonly siteId: string;
  readonly keepaliveSec: number;
  readonly deliverySec: number;
  readonly method: CutMethod;
  readonly kabupaten: readonly [string, string];
  readonly kecamatan: readonly [string, string];
  namespace: SiteNamespace | null;
  agent: ChildProcess | null;
  cutAtMs: number | null;
  willMs: number | null;
  alertmanagerMs: number | null;
  webhookMs: number | null;
}

export interface DetectionRow {
  readonly keepaliveSec: number;
  readonly deliverySec: number;
  readonly method: CutMethod;
  readonly mbPerMonth: number;
  readonly targetSec: number;
  /** The broker's will at a subscriber: the part of the delay the keepalive decides. */
  readonly willSec: number | null;
  readonly alertmanagerSec: number | null;
  readonly webhookSec: number | null;
  readonly met: boolean;
}

export interface DetectionResult {
  readonly rows: DetectionRow[];
  /** Why the namespace cases did not run, if they did not. */
  readonly netnsSkipped: string | null;
  readonly lines: string[];
  readonly met: boolean;
}

/** The target: the broker's will (1.5 x keepalive) and 30 s for the NOC to judge and deliver. */
export const targetSec = (keepaliveSec: number) => 1.5 * keepaliveSec + 30;

/** Data cost a month of each keepalive: bench:wire's day on plain TCP at its delivery interval, plus its pings. */
async function dataCosts(brokerPort: number): Promise<Map<number, number>> {
  const byDelivery = new Map<number, number>();
  for (const deliverySec of new Set(KEEPALIVES.map((k) => k.deliverySec))) {
    const scenario = {
      name: `${deliverySec / 60} min, columnar`,
      deliveryMinutes: deliverySec / 60,
      encoding: 'columnar' as const,
      maxBatchSamples: 120,
    };
    const day = await measureDay({ port: brokerPort }, scenario);
    byDelivery.set(deliverySec, (day.upBytes + day.downBytes) * DAYS_PER_MONTH);
  }
  return new Map(
    KEEPALIVES.map((k) => [
      k.keepaliveSec,
      (byDelivery.get(k.deliverySec) ?? 0) + keepaliveBytesPerMonth(k.deliverySec, k.keepaliveSec),
    ]),
  );
}

/** Kecamatan of two kabupaten: each site alone in its area, so its alert goes out on its own. */
const AREAS: readonly { kabupaten: [string, string]; kecamatan: [string, string] }[] = [
  ['64.08.01', 'Muara Ancalong'],
  ['64.08.02', 'Muara Wahau'],
  ['64.08.03', 'Muara Bengkal'],
  ['64.08.04', 'Sangatta Utara'],
  ['64.01.01', 'Batu Sopang'],
  ['64.01.02', 'Tanjung Harapan'],
  ['64.01.03', 'Pasir Belengkong'],
  ['64.01.04', 'Tanah Grogot'],
].map(([code, name]) => ({
  kabupaten: code?.startsWith('64.08') ? ['64.08', 'Kutai Timur'] : ['64.01', 'Paser'],
  kecamatan: [code ?? '', name ?? ''],
}));

function registryCsv(cases: readonly Case[]): string {
  const header =
    'site_id,name,kabupaten_code,kabupaten,kecamatan_code,kecamatan,desa_code,desa,group,latitude,longitude,lvd_volts,sample_interval_sec,delivery_interval_sec';
  const rows = cases.map((c) =>
    [
      c.siteId,
      `Bench ${c.siteId}`,
      ...c.kabupaten,
      ...c.kecamatan,
      `${c.kecamatan[0]}.2001`,
      'Desa Bench',
      'village_office',
      c.kabupaten[0] === '64.08' ? '0.5132' : '-1.9021',
      c.kabupaten[0] === '64.08' ? '117.5421' : '116.1900',
      '11.5',
      '60',
      String(c.deliverySec),
    ].join(','),
  );
  return `${[header, ...rows].join('\n')}\n`;
}

function collectorConfig(dir: string, mqttUrl: string, webhookUrl: string, alertmanagerUrl: string): string {
  return [
    'mqtt:',
    `  url: ${mqttUrl}`,
    'store:',
    `  sqlitePath: ${join(dir, 'pantau.sqlite')}`,
    'health:',
    '  delivery:',
    '    webhook:',
    `      url: ${webhookUrl}`,
    `      secret: ${WEBHOOK_SECRET}`,
    '    alertmanager:',
    `      url: ${alertmanagerUrl}`,
    '',
  ].join('\n');
}

/** Runs a collector command to its end; throws with its output if it fails. */
async function collectorCommand(args: readonly string[]): Promise<void> {
  await promisify(execFile)(process.execPath, [COLLECTOR_MAIN, ...args], { timeout: 60_000 }).catch((error) => {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`pantau-collector ${args.join(' ')} failed: ${e.stderr || e.stdout || e.message}`);
  });
}

function startAgent(c: Case, mqttUrl: string, dir: string): ChildProcess {
  const launch = shippedAgentLaunch();
  const command = [...(c.namespace?.exec ?? []), process.execPath, ...launch.flags, AGENT_MAIN, 'run'];
  const [bin, ...args] = command;
  return spawn(bin ?? process.execPath, args, {
    stdio: 'ignore',
    env: {
      PATH: process.env.PATH,
      ...launch.env,
      PANTAU_LATENCY_DETECT_GATEWAY: 'false',
      PANTAU_LATENCY_TARGETS: '[]',
      PANTAU_SITE_ID: c.siteId,
      PANTAU_MQTT_URL: mqttUrl,
      PANTAU_DATA_DIR: join(dir, c.siteId),
      PANTAU_SAMPLE_INTERVAL_SEC: '60',
      PANTAU_DELIVERY_INTERVAL_SEC: String(c.deliverySec),
      PANTAU_MQTT_KEEPALIVE_SEC: String(c.keepaliveSec),
      PANTAU_MQTT_START_DELAY_MAX_MS: '0',
    },
  });
}

/** The first offline alert the webhook received for a site, if any: when it arrived. */
function webhookAlertAt(receiver: WebhookReceiver, siteId: string): number | null {
  for (const r of receiver.requests) {
    try {
      const body = JSON.parse(r.body) as { type?: string; event?: string; alert?: { siteId?: string; kind?: string } };
      if (body.type === 'alert' && body.event === 'firing' && body.alert?.siteId === siteId) {
        if (body.alert.kind === 'offline') return r.receivedAtMs;
      }
    } catch {
      // Not JSON: not an alert of ours.
    }
  }
  return null;
}

/**
 * Part 1: a silent power cut (SIGSTOP of a real agent) and a cut namespace link, at each keepalive
 * at once (separate sites), timed to the offline alert at a real Alertmanager and at a real
 * webhook receiver through `pantau-collector serve` and a real Mosquitto. Each site is cut as soon
 * as its birth is seen, so the broker waits the whole 1.5 x keepalive: the worst case.
 */
export async function runDetectionDelay(
  methods: readonly CutMethod[],
  keepalivesSec: readonly number[] = KEEPALIVES.map((k) => k.keepaliveSec),
): Promise<DetectionResult> {
  const dir = mkdtempSync(join(tmpdir(), 'pantau-bench-alerts-'));
  const cases: Case[] = [];
  let netnsSkipped: string | null = null;
  for (const method of methods) {
    for (const k of KEEPALIVES.filter((x) => keepalivesSec.includes(x.keepaliveSec))) {
      const area = AREAS[cases.length % AREAS.length] ?? AREAS[0];
      if (area === undefined) throw new Error('no area');
      cases.push({
        siteId: `bench-${method}-${k.keepaliveSec}`,
        ...k,
        method,
        kabupaten: area.kabupaten,
        kecamatan: area.kecamatan,
        namespace: null,
        agent: null,
        cutAtMs: null,
        willMs: null,
        alertmanagerMs: null,
        webhookMs: null,
      });
    }
  }
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    for (const c of cases.filter((x) => x.method === 'netns')) {
      try {
        c.namespace = await createSiteNamespace();
        const ns = c.namespace;
        cleanups.push(() => ns.destroy());
      } catch (error) {
        netnsSkipped = (error as Error).message;
        break;
      }
    }
    const runnable = cases.filter((c) => c.method === 'sigstop' || c.namespace !== null);
    const mosquitto = await startMosquitto({
      extraAddresses: runnable.flatMap((c) => (c.namespace ? [c.namespace.hostAddress] : [])),
    });
    cleanups.push(() => mosquitto.stop());
    const costs = await dataCosts(mosquitto.port);
    const receiver = await startWebhookReceiver();
    cleanups.push(() => receiver.close());
    const alertmanager = await startAlertmanager({});
    cleanups.push(() => alertmanager.stop());

    const config = join(dir, 'collector.yaml');
    writeFileSync(config, collectorConfig(dir, mosquitto.url, receiver.url, alertmanager.url));
    writeFileSync(join(dir, 'sites.csv'), registryCsv(runnable));
    await collectorCommand(['sites', 'import', join(dir, 'sites.csv'), '--config', config]);
    const collector = spawn(process.execPath, [COLLECTOR_MAIN, 'serve', '--config', config], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanups.push(async () => {
      if (collector.exitCode === null) {
        collector.kill('SIGTERM');
        await once(collector, 'exit');
      }
    });
    let collectorLog = '';
    collector.stdout?.on('data', (chunk) => {
      collectorLog = `${collectorLog}${String(chunk)}`.slice(-20_000);
    });
    collector.stderr?.on('data', (chunk) => {
      collectorLog = `${collectorLog}${String(chunk)}`.slice(-20_000);
    });
    await until('the collector to start', async () => {
      if (collector.exitCode !== null) throw new Error(`the collector exited: ${collectorLog}`);
      return collectorLog.includes('"event":"started"');
    });

    // Each site is cut once its birth has gone through the broker.
    const watcher = await mqtt.connectAsync(mosquitto.url, { clientId: 'bench-alerts-watch' });
    cleanups.push(() => watcher.endAsync());
    const cut = async (c: Case) => {
      if (c.cutAtMs !== null) return;
      c.cutAtMs = Date.now();
      if (c.method === 'sigstop') c.agent?.kill('SIGSTOP');
      else await c.namespace?.cut();
    };
    watcher.on('message', (_topic, payload) => {
      const status = decodePayload('status', payload);
      const c = status.ok ? runnable.find((x) => x.siteId === status.value.siteId) : undefined;
      if (!status.ok || c === undefined) return;
      if (status.value.state === 'online') void cut(c);
      else if (status.value.reason === 'connection_lost' && c.cutAtMs !== null) c.willMs ??= Date.now();
    });
    await watcher.subscribeAsync('pantau/v1/site/+/status', { qos: 1 });
    for (const c of runnable) {
      const url = c.namespace === null ? mosquitto.url : `mqtt://${c.namespace.hostAddress}:${mosquitto.port}`;
      c.agent = startAgent(c, url, dir);
      const agent = c.agent;
      cleanups.push(async () => {
        if (agent.exitCode === null && agent.signalCode === null) {
          agent.kill('SIGCONT');
          agent.kill('SIGKILL');
          await once(agent, 'exit');
        }
      });
    }
    const deadline = (c: Case) =>
      (c.cutAtMs ?? Date.now()) + targetSec(c.keepaliveSec) * 1000 + GIVE_UP_AFTER_TARGET_MS;
    await until(
      'every site to be alerted (or past its deadline)',
      async () => {
        const firing = await alertmanager.alerts(['alertname="pantau_offline"']).catch(() => []);
        const now = Date.now();
        for (const c of runnable) {
          if (c.cutAtMs === null) continue;
          if (c.alertmanagerMs === null && firing.some((a) => a.labels.site === c.siteId)) c.alertmanagerMs = now;
          c.webhookMs ??= webhookAlertAt(receiver, c.siteId);
        }
        return runnable.every((c) => (c.alertmanagerMs !== null && c.webhookMs !== null) || now > deadline(c));
      },
      targetSec(930) * 1000 + 2 * GIVE_UP_AFTER_TARGET_MS,
    );
    const rows = runnable.map((c): DetectionRow => {
      const after = (atMs: number | null) => (atMs === null || c.cutAtMs === null ? null : (atMs - c.cutAtMs) / 1000);
      const willSec = after(c.willMs);
      const alertmanagerSec = after(c.alertmanagerMs);
      const webhookSec = after(c.webhookMs);
      const target = targetSec(c.keepaliveSec);
      return {
        keepaliveSec: c.keepaliveSec,
        deliverySec: c.deliverySec,
        method: c.method,
        mbPerMonth: Number(((costs.get(c.keepaliveSec) ?? 0) / MB).toFixed(2)),
        targetSec: target,
        willSec,
        alertmanagerSec,
        webhookSec,
        met: alertmanagerSec !== null && webhookSec !== null && Math.max(alertmanagerSec, webhookSec) <= target,
      };
    });
    return { rows, netnsSkipped, lines: detectionLines(rows, netnsSkipped), met: rows.every((r) => r.met) };
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}

function detectionLines(rows: readonly DetectionRow[], netnsSkipped: string | null): string[] {
  const s = (v: number | null) => (v === null ? 'none' : `${v.toFixed(0)} s`);
  const lines = [
    'keepalive  delivery  data/month  cut      will     Alertmanager  webhook  target (1.5 x keepalive + 30 s)',
    ...rows.map(
      (r) =>
        `${`${r.keepaliveSec} s`.padEnd(10)} ${`${r.deliverySec} s`.padEnd(9)} ${`${r.mbPerMonth.toFixed(2)} MB`.padEnd(11)} ${r.method.padEnd(8)} ${s(r.willSec).padEnd(8)} ${s(r.alertmanagerSec).padEnd(13)} ${s(r.webhookSec).padEnd(8)} <= ${r.targetSec} s: ${r.met ? 'PASS' : 'FAIL'}`,
    ),
    "times from the cut: the broker's will at a subscriber, the offline alert at Alertmanager and at the webhook",
    'data a month: bench:wire model (columnar batches at the delivery interval, TCP + TLS estimate) + keepalive pings',
  ];
  if (netnsSkipped !== null) lines.push(`namespace link cuts not run: ${netnsSkipped}`);
  return lines;
}
