import { type ChildProcess, fork } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { nodeSpoolIo } from '@pantau/agent';
import { openSqliteStore } from '@pantau/collector';
import { createLogger } from '@pantau/shared';
import Database from 'better-sqlite3';
import { writeBacklog } from './fleet/backlog.js';
import { planFleet } from './fleet/site-plan.js';
import { MS_PER_DAY } from './fleet/sun.js';
import { brokerSys, running, startBroker, startCollector, stopChild, watch } from './storm-servers.js';

const { values } = parseArgs({
  options: {
    sites: { type: 'string', default: '10000' },
    workers: { type: 'string', default: '4' },
    backlog: { type: 'string', default: '1440' },
    'outage-sec': { type: 'string', default: '20' },
    'timeout-sec': { type: 'string', default: '900' },
    'ingest-connections': { type: 'string', default: '4' },
    seed: { type: 'string', default: '1' },
    runs: { type: 'string', default: 'jitter,no-jitter' },
    dir: { type: 'string' },
    /** Where each run's collector and broker logs are kept (they are deleted with the run otherwise). */
    logs: { type: 'string' },
  },
});
const SITES = Number(values.sites);
const WORKERS = Math.min(Number(values.workers), SITES);
const BACKLOG = Number(values.backlog);
const OUTAGE_MS = Number(values['outage-sec']) * 1000;
const TIMEOUT_MS = Number(values['timeout-sec']) * 1000;
const CONNECTIONS = Number(values['ingest-connections']);
const SEED = Number(values.seed);
const root = new URL('../..', import.meta.url).pathname;
const say = (line: string) => process.stdout.write(`${line}\n`);

interface WorkerState {
  child: ChildProcess;
  connected: number;
  drained: number;
  rssBytes: number;
}

function request(worker: WorkerState, message: object, reply: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: Record<string, unknown>) => {
      if (m.type === 'error') reject(new Error(String(m.message)));
      if (m.type !== reply) return;
      worker.child.off('message', onMessage);
      resolve(m);
    };
    worker.child.on('message', onMessage);
    worker.child.send(message);
  });
}

interface RunResult {
  readonly jitter: boolean;
  readonly sites: number;
  readonly sentSamples: number;
  readonly storedSamples: number;
  /** Still in the agents' spools at the end (never acknowledged by the broker): not lost, not sent. */
  readonly undeliveredSamples: number;
  /** Acknowledged by the broker and not in the store. */
  readonly lostSamples: number;
  readonly duplicates: number | null;
  /** Resend requests the sites answered (the gap tracker asking for what never arrived). */
  readonly resendReplies: number | null;
  readonly allOnlineSec: number | null;
  readonly agentsDrainedSec: number | null;
  readonly allStoredSec: number | null;
  readonly brokerPeakCpuPct: number;
  readonly brokerPeakRssMb: number;
  readonly collectorPeakCpuPct: number;
  readonly collectorPeakRssMb: number;
  readonly workersPeakRssMb: number;
  readonly completed: boolean;
  /** The broker's $SYS counters once the collector had drained: dropped, stored, received, sent. */
  readonly brokerSys: Record<string, number>;
  /** Warnings and errors the collector logged, by event. */
  readonly collectorWarnings: Record<string, number>;
  /** Sites short of their backlog, with the sequence numbers not stored (first 10 sites). */
  readonly missing: { siteId: string; stored: number; missingSeqs: string }[];
}

async function run(jitter: boolean, templateDir: string, baseDir: string): Promise<RunResult> {
  const dir = join(baseDir, jitter ? 'jitter' : 'no-jitter');
  mkdirSync(dir, { recursive: true });
  const broker = await startBroker(dir);
  const collector = await startCollector(root, dir, broker.url, CONNECTIONS);
  const brokerWatch = watch(broker.child.pid ?? 0);
  const collectorWatch = watch(collector.child.pid ?? 0);
  const workers: WorkerState[] = Array.from({ length: WORKERS }, () => ({
    child: fork(join(root, 'bench/dist/storm-worker.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
    connected: 0,
    drained: 0,
    rssBytes: 0,
  }));
  let workersPeakRss = 0;
  for (const w of workers) {
    running.add(w.child);
    w.child.on('message', (m: { type: string; connected?: number; drained?: number; rssBytes?: number }) => {
      if (m.type !== 'progress') return;
      w.connected = m.connected ?? 0;
      w.drained = m.drained ?? 0;
      w.rssBytes = m.rssBytes ?? 0;
      workersPeakRss = Math.max(
        workersPeakRss,
        workers.reduce((sum, x) => sum + x.rssBytes, 0),
      );
    });
  }
  const per = Math.ceil(SITES / WORKERS);
  const openStart = performance.now();
  await Promise.all(
    workers.map((w, i) =>
      request(
        w,
        {
          type: 'open',
          fromIndex: i * per,
          toIndex: Math.min(SITES, (i + 1) * per),
          seed: SEED,
          brokerUrl: broker.url,
          dir: join(dir, 'sites'),
          templateDir,
          jitter,
        },
        'opened',
      ),
    ),
  );
  say(
    `  ${jitter ? 'jitter' : 'no jitter'}: ${SITES} agents opened in ${((performance.now() - openStart) / 1000).toFixed(1)} s; outage ${OUTAGE_MS / 1000} s`,
  );
  await Promise.all(workers.map((w) => request(w, { type: 'start' }, 'started')));
  await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
  const t0 = performance.now();
  for (const w of workers) w.child.send({ type: 'uplink' });
  const sent = SITES * BACKLOG;
  const store = openSqliteStore(collector.dbPath);
  const stored = async () => (await store.listSites()).reduce((sum, s) => sum + s.samples, 0);
  let allOnline: number | null = null;
  let drained: number | null = null;
  let allStored: number | null = null;
  let lastSay = 0;
  while (performance.now() - t0 < TIMEOUT_MS) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const sec = (performance.now() - t0) / 1000;
    const connected = workers.reduce((sum, w) => sum + w.connected, 0);
    const done = workers.reduce((sum, w) => sum + w.drained, 0);
    if (allOnline === null && connected === SITES) allOnline = sec;
    if (drained === null && done === SITES) drained = sec;
    if (drained !== null || sec - lastSay > 10) {
      const count = await stored();
      if (sec - lastSay > 10) {
        lastSay = sec;
        say(`    ${sec.toFixed(0)} s: ${connected} online, ${done} drained, ${count} of ${sent} stored`);
      }
      if (drained !== null && count >= sent) {
        allStored = (performance.now() - t0) / 1000;
        break;
      }
    }
  }
  await store.close();
  brokerWatch.stop();
  collectorWatch.stop();
  const stops = await Promise.all(workers.map((w) => request(w, { type: 'stop' }, 'stopped')));
  const undelivered = stops.reduce((sum, m) => sum + Number(m.undelivered ?? 0), 0);
  // The collector takes what the broker holds for its session before it is stopped.
  await drainCollector(collector.dbPath, sent - undelivered);
  const sys = await brokerSys(broker.url).catch(() => ({}));
  await stopChild(collector.child);
  const finalStore = openSqliteStore(collector.dbPath);
  const storedSamples = (await finalStore.listSites()).reduce((sum, s) => sum + s.samples, 0);
  await finalStore.close();
  const stoppedLine = collector
    .output()
    .split('\n')
    .find((line: string) => line.includes('"event":"stopped"'));
  const stoppedFigures = stoppedLine === undefined ? null : (JSON.parse(stoppedLine) as Record<string, unknown>);
  const duplicates = stoppedFigures === null ? null : Number(stoppedFigures.duplicates);
  const resendReplies = stoppedFigures === null ? null : Number(stoppedFigures.resendReplies);
  await stopChild(broker.child);
  const collectorWarnings = warningsByEvent(readFileSync(collector.logPath, 'utf8'));
  const missing = missingSamples(collector.dbPath, BACKLOG);
  if (values.logs !== undefined) {
    const keep = join(values.logs, jitter ? 'jitter' : 'no-jitter');
    mkdirSync(keep, { recursive: true });
    copyFileSync(collector.logPath, join(keep, 'collector.log'));
    copyFileSync(broker.logPath, join(keep, 'mosquitto.log'));
  }
  rmSync(dir, { recursive: true, force: true });
  return {
    jitter,
    sites: SITES,
    sentSamples: sent,
    storedSamples,
    undeliveredSamples: undelivered,
    lostSamples: sent - undelivered - storedSamples,
    duplicates,
    resendReplies,
    allOnlineSec: allOnline === null ? null : round(allOnline),
    agentsDrainedSec: drained === null ? null : round(drained),
    allStoredSec: allStored === null ? null : round(allStored),
    brokerPeakCpuPct: Math.round(brokerWatch.peak.cpuPct),
    brokerPeakRssMb: round(brokerWatch.peak.rssBytes / 1e6),
    collectorPeakCpuPct: Math.round(collectorWatch.peak.cpuPct),
    collectorPeakRssMb: round(collectorWatch.peak.rssBytes / 1e6),
    workersPeakRssMb: round(workersPeakRss / 1e6),
    completed: allStored !== null,
    brokerSys: sys,
    collectorWarnings,
    missing,
  };
}

/** Counts the collector's warn and error lines (pino levels 40 and up) by their event. */
function warningsByEvent(log: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of log.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as { level?: number; event?: string };
      if ((entry.level ?? 0) < 40) continue;
      const event = entry.event ?? 'unnamed';
      counts[event] = (counts[event] ?? 0) + 1;
    } catch {
      // Not a log line.
    }
  }
  return counts;
}

/** The sites whose stored samples fall short of the backlog, and which sequence numbers are missing. */
function missingSamples(dbPath: string, backlog: number): RunResult['missing'] {
  const db = new Database(dbPath, { readonly: true });
  try {
    const short = db
      .prepare(
        'SELECT site_id AS siteId, count(*) AS stored FROM samples GROUP BY site_id HAVING count(*) < ? LIMIT 10',
      )
      .all(backlog) as { siteId: string; stored: number }[];
    return short.map(({ siteId, stored }) => {
      const seqs = new Set(
        (db.prepare('SELECT seq FROM samples WHERE site_id = ?').all(siteId) as { seq: number }[]).map((r) => r.seq),
      );
      const gaps: number[] = [];
      for (let seq = 1; seq <= backlog && gaps.length < 2000; seq++) if (!seqs.has(seq)) gaps.push(seq);
      return { siteId, stored, missingSeqs: ranges(gaps) };
    });
  } finally {
    db.close();
  }
}

function ranges(seqs: readonly number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < seqs.length) {
    let j = i;
    while (j + 1 < seqs.length && (seqs[j + 1] as number) === (seqs[j] as number) + 1) j++;
    parts.push(i === j ? `${seqs[i]}` : `${seqs[i]}-${seqs[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** Waits until the store holds `expected` samples, or a minute passes without progress. */
async function drainCollector(dbPath: string, expected: number): Promise<void> {
  const store = openSqliteStore(dbPath);
  let last = -1;
  let sinceMs = performance.now();
  for (;;) {
    const count = (await store.listSites()).reduce((sum, s) => sum + s.samples, 0);
    if (count >= expected) break;
    if (count !== last) {
      last = count;
      sinceMs = performance.now();
    } else if (performance.now() - sinceMs > 60_000) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  await store.close();
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

async function main(): Promise<void> {
  const baseDir = values.dir === undefined ? mkdtempSync(join(tmpdir(), 'pantau-storm-')) : values.dir;
  mkdirSync(baseDir, { recursive: true });
  // Mosquitto drops to its own user: it must reach its persistence folder inside.
  chmodSync(baseDir, 0o755);
  try {
    const templateDir = join(baseDir, 'template', 'spool');
    const [plan] = planFleet(1, SEED);
    if (plan === undefined) throw new Error('no site planned');
    const genStart = performance.now();
    await writeBacklog({
      dir: templateDir,
      plan,
      seed: SEED,
      fromMs: Date.now() - MS_PER_DAY,
      samples: BACKLOG,
      bootId: '6f1c2a9e-8d7b-4c6a-9e5f-1a2b3c4d5e6f',
      io: nodeSpoolIo,
      log: createLogger('pantau-storm', 'error'),
    });
    say(
      `bench:storm: ${SITES} sites in ${WORKERS} worker processes, each with ${BACKLOG} samples of backlog ` +
        `(written once in ${((performance.now() - genStart) / 1000).toFixed(1)} s, copied per site); ` +
        `Mosquitto with the shipped limits; collector (SQLite, ${CONNECTIONS} ingest connections) in its own process.`,
    );
    const loadAtStart = round(loadavg()[0] ?? 0);
    // Wall times stretch with what else runs: the load says how much.
    say(`${cpus().length} cores, load average ${loadAtStart} at the start.`);
    const results: RunResult[] = [];
    const runs = values.runs.split(',').map((r) => r.trim());
    for (const jitter of [true, false]) {
      if (runs.includes(jitter ? 'jitter' : 'no-jitter')) results.push(await run(jitter, templateDir, baseDir));
    }
    for (const r of results) {
      say(
        `${r.jitter ? 'jittered backoff ' : 'no jitter        '} all online ${r.allOnlineSec ?? '-'} s, agents drained ${r.agentsDrainedSec ?? '-'} s, ` +
          `all stored ${r.allStoredSec ?? '-'} s; lost ${r.lostSamples} of ${r.sentSamples - r.undeliveredSamples} acknowledged ` +
          `(${r.undeliveredSamples} still in the spools), duplicates ${r.duplicates}, resend replies ${r.resendReplies}; ` +
          `broker peak ${r.brokerPeakCpuPct} % CPU ${r.brokerPeakRssMb} MB, collector peak ${r.collectorPeakCpuPct} % CPU ${r.collectorPeakRssMb} MB` +
          (r.completed ? '' : ' (NOT COMPLETED within the timeout)'),
      );
      say(`  broker $SYS at the end: ${JSON.stringify(r.brokerSys)}`);
      say(`  collector warnings and errors by event: ${JSON.stringify(r.collectorWarnings)}`);
      for (const m of r.missing) say(`  short: ${m.siteId} stored ${m.stored}, missing seq ${m.missingSeqs}`);
    }
    const complete = results.every((r) => r.completed && r.lostSamples === 0);
    const loadAverage = [loadAtStart, round(loadavg()[0] ?? 0)];
    say(`Load average ${loadAverage[0]} at the start, ${loadAverage[1]} at the end.`);
    if (SITES < 10_000) say(`Run at ${SITES} sites, not the 10,000 of the target (--sites).`);
    process.stdout.write(
      `${JSON.stringify({ bench: 'storm', sites: SITES, workers: WORKERS, backlogPerSite: BACKLOG, outageSec: OUTAGE_MS / 1000, ingestConnections: CONNECTIONS, loadAverage, complete, runs: results })}\n`,
    );
  } finally {
    rmSync(baseDir, { recursive: true, force: true });
  }
}

await main();
