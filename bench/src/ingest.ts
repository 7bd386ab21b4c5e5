#!/usr/bin/env node
/**
 * `pnpm bench:ingest`: a real Mosquitto, load-generator processes publishing pre-encoded QoS 1
 * batches for 100,000 simulated sites, and the collector storing them. Figures: samples per second
 * received by mosquitto_sub alone, and stored by the collector (SQLite, PostgreSQL), the ratio, the
 * end-to-end lag of probe messages sent during the run, and the collector's CPU per sample beside
 * its store's alone (the same batches through the Store, no MQTT; ingest-store-alone.ts). The last
 * line is one JSON object.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { collectorConfigSchema, openSqliteStore, openSqliteStoreInWorker, type Store } from '@pantau/collector';
import { collectorRun } from './ingest-collector-run.js';
import { cpuMeter, type LoadShape, prepareLoad } from './ingest-load.js';
import { openFreshPostgres, storeAloneRun } from './ingest-store-alone.js';
import { encodeMessage, encodingOption } from './payloads.js';
import { type Server, startMosquitto, startPostgres } from './servers.js';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '40000' },
    'pg-messages': { type: 'string', default: '10000' },
    'per-batch': { type: 'string', default: '10' },
    sites: { type: 'string', default: '100000' },
    generators: { type: 'string', default: '2' },
    'gen-connections': { type: 'string', default: '2' },
    window: { type: 'string', default: '200' },
    'sqlite-connections': { type: 'string', default: '1,8,32,64' },
    'pg-connections': { type: 'string', default: '8' },
    // Most batches per transaction (ingest.groupCommitMax); the collector's default when not given.
    'group-commit-max': { type: 'string' },
    'rollups-interval-sec': { type: 'string', default: '10' },
    'skip-pg': { type: 'boolean', default: false },
    // Where the collector's SQLite connection runs: as the collector chooses (`auto`: a worker thread
    // when ingest has several connections), on a worker thread, or on the main thread.
    'sqlite-thread': { type: 'string', default: 'auto' },
    // What the load publishes: agents send columnar by default (agent/src/config/schema.ts).
    encoding: { type: 'string', default: 'columnar' },
  },
});
const MESSAGES = Number(values.messages);
const PG_MESSAGES = Number(values['pg-messages']);
const PER_BATCH = Number(values['per-batch']);
const SITES = Number(values.sites);
const GENERATORS = Number(values.generators);
const GEN_CONNECTIONS = Number(values['gen-connections']);
const WINDOW = Number(values.window);
const ENCODING = encodingOption(values.encoding);
const SQLITE_THREAD = values['sqlite-thread'];
if (SQLITE_THREAD !== 'auto' && SQLITE_THREAD !== 'worker' && SQLITE_THREAD !== 'main') {
  throw new Error('--sqlite-thread is auto, worker or main');
}
const GROUP_COMMIT_MAX = values['group-commit-max'] === undefined ? undefined : Number(values['group-commit-max']);
const NOW = Date.now();
const LOAD: LoadShape = {
  generators: GENERATORS,
  connections: GEN_CONNECTIONS,
  window: WINDOW,
  sites: SITES,
  perBatch: PER_BATCH,
  nowMs: NOW,
  encoding: ENCODING,
};
const say = (line: string) => process.stdout.write(`${line}\n`);

/** The ingest targets (docs/storage.md, "Performance"): the rate, and the share of the broker-only rate. */
const TARGET_SQLITE_SAMPLES_PER_SEC = 100_000;
const TARGET_RATIO_TO_BROKER = 0.5;
const TARGET_WHOLE_TO_STORE = 2;

type Mosquitto = Server & { port: number; pid: number };

async function brokerOnly(mosquitto: Mosquitto) {
  const root = 'bench0/v1';
  const go = await prepareLoad(LOAD, mosquitto.url, root, MESSAGES, 'sub');
  const sub = spawn(
    'mosquitto_sub',
    [
      '-h',
      '127.0.0.1',
      '-p',
      String(mosquitto.port),
      '-q',
      '1',
      '-C',
      String(MESSAGES),
      '-t',
      `${root}/site/+/telemetry`,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  await new Promise((r) => setTimeout(r, 1000));
  const exited = once(sub, 'exit');
  const cpu = cpuMeter(mosquitto.pid);
  const load = await go();
  await exited;
  const seconds = (Date.now() - load.goMs) / 1000;
  return {
    samplesPerSec: Math.round((MESSAGES * PER_BATCH) / seconds),
    seconds,
    generatorCpuMs: load.generatorCpuMs,
    brokerCpuMs: Math.round(cpu().brokerCpuMs),
  };
}

/** The collector's ingest settings for a run with `connections`. */
const ingestConfig = (connections: number) => ({
  connections,
  ...(GROUP_COMMIT_MAX === undefined ? {} : { groupCommitMax: GROUP_COMMIT_MAX }),
});

/** The run's messages, encoded as the load generators publish them. */
const encodeMessages = (messages: number) =>
  Array.from({ length: messages }, (_, i) => encodeMessage('alone/v1', i, SITES, PER_BATCH, NOW, ENCODING));

async function main(): Promise<void> {
  say(
    `pantau bench:ingest on ${cpus().length} cores (load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')})`,
  );
  say(
    `${MESSAGES} QoS 1 batches of ${PER_BATCH} samples (${MESSAGES * PER_BATCH} samples, ${ENCODING}) ` +
      `for ${SITES} simulated sites; ` +
      `${GENERATORS} generator processes x ${GEN_CONNECTIONS} connections, ${WINDOW} in flight each`,
  );
  const mosquitto = await startMosquitto();
  const results: Record<string, unknown>[] = [];
  let postgres: Server | undefined;
  let dir: string | undefined;
  try {
    const broker = await brokerOnly(mosquitto);
    say(
      `mosquitto_sub alone:         ${broker.samplesPerSec} samples/s (${broker.seconds.toFixed(1)} s); ` +
        `load generators ${broker.generatorCpuMs} ms CPU ` +
        `(${Math.round(broker.generatorCpuMs / broker.seconds / 10)} % of a core), ` +
        `broker ${Math.round(broker.brokerCpuMs / broker.seconds / 10)} % of a core`,
    );
    const sqliteDir = mkdtempSync(join(tmpdir(), 'pantau-bench-'));
    dir = sqliteDir;
    const runs: [string, () => Promise<Store>, number, number][] = values['sqlite-connections']
      .split(',')
      .map(Number)
      .map((c) => {
        let opened = 0;
        return [
          'sqlite',
          async () => {
            opened += 1;
            const path = join(sqliteDir, `c${c}-${opened}.sqlite`);
            const onWorker = SQLITE_THREAD === 'auto' ? c > 1 : SQLITE_THREAD === 'worker';
            return onWorker ? openSqliteStoreInWorker(path) : openSqliteStore(path);
          },
          MESSAGES,
          c,
        ];
      });
    if (!values['skip-pg']) {
      postgres = await startPostgres();
      const url = postgres.url;
      for (const connections of values['pg-connections'].split(',').map(Number)) {
        // A database of its own for each run: the loads of two runs hold the same sites and seqs.
        runs.push(['postgres', () => openFreshPostgres(url, connections), PG_MESSAGES, connections]);
      }
    }
    for (const [i, [name, open, messages, connections]] of runs.entries()) {
      const alone = await storeAloneRun(
        open,
        encodeMessages(messages),
        collectorConfigSchema.shape.ingest.parse(ingestConfig(connections)),
      );
      const r = await collectorRun({
        name: `${name}-c${connections}`,
        mosquitto,
        store: await open(),
        messages,
        ingest: collectorConfigSchema.shape.ingest.parse(ingestConfig(connections)),
        root: `bench${i + 1}/v1`,
        rollupsIntervalSec: Number(values['rollups-interval-sec']),
        load: LOAD,
      });
      const ratio = r.samplesPerSec / broker.samplesPerSec;
      const wholeToStore = r.collectorCpuMsPer1000 / alone.cpuMsPer1000;
      results.push({
        ...r,
        store: name,
        ratioToBroker: Number(ratio.toFixed(3)),
        storeAlone: alone,
        wholeToStoreCpu: Number(wholeToStore.toFixed(2)),
        wholeToStoreTarget: { target: TARGET_WHOLE_TO_STORE, pass: wholeToStore <= TARGET_WHOLE_TO_STORE },
      });
      say(
        `${`${name}, ${connections} connection(s):`.padEnd(28)} ${r.samplesPerSec} samples/s stored ` +
          `(${r.samples} in ${r.seconds.toFixed(1)} s), ${(ratio * 100).toFixed(0)} % of mosquitto_sub; ` +
          `lag p50 ${r.lagMs.p50} ms, p99 ${r.lagMs.p99} ms, max ${r.lagMs.max} ms`,
      );
      say(
        `${''.padEnd(28)} collector CPU ${r.collectorCpuMsPer1000} ms per 1000 samples ` +
          `(${r.collectorCpuPct} % of a core; ` +
          `main thread busy ${r.mainLoopBusyPct} %), ` +
          `broker ${r.brokerCpuPct} % of a core, load generators ${r.generatorCpuMs} ms CPU in all`,
      );
      say(
        `${''.padEnd(28)} store alone ${alone.cpuMsPer1000} ms CPU per 1000 samples ` +
          `(${alone.samplesPerSec} samples/s); ` +
          `whole collector ${wholeToStore.toFixed(2)}x the store alone ` +
          `(target <= ${TARGET_WHOLE_TO_STORE}x: ${wholeToStore <= TARGET_WHOLE_TO_STORE ? 'PASS' : 'FAIL'}); ` +
          `both roll up every site-day they touched (the store alone ${alone.rollupSiteDays}; the collector ` +
          `${r.rollupSiteDaysDuringRun} on its timer during the run, ${r.rollupSiteDaysDrained} at its end)`,
      );
    }
    const sqliteRuns = results.filter((r) => r.store === 'sqlite');
    const best = Math.max(...sqliteRuns.map((r) => Number(r.samplesPerSec)));
    const bestRatio = best / broker.samplesPerSec;
    const targets = {
      sqliteSamplesPerSec: {
        target: TARGET_SQLITE_SAMPLES_PER_SEC,
        value: best,
        pass: best >= TARGET_SQLITE_SAMPLES_PER_SEC,
      },
      ratioToBroker: {
        target: TARGET_RATIO_TO_BROKER,
        value: Number(bestRatio.toFixed(3)),
        pass: bestRatio >= TARGET_RATIO_TO_BROKER,
      },
    };
    const verdict = (pass: boolean) => (pass ? 'PASS' : 'FAIL');
    say(
      `target >= ${TARGET_SQLITE_SAMPLES_PER_SEC} samples/s stored in SQLite: ` +
        `${verdict(targets.sqliteSamplesPerSec.pass)} (best ${best})`,
    );
    say(
      `target >= ${TARGET_RATIO_TO_BROKER * 100} % of the broker-only rate: ${verdict(targets.ratioToBroker.pass)} ` +
        `(best ${(bestRatio * 100).toFixed(0)} % of ${broker.samplesPerSec})`,
    );
    process.stdout.write(
      `${JSON.stringify({
        bench: 'ingest',
        cores: cpus().length,
        loadAverage: loadavg(),
        messages: MESSAGES,
        samplesPerBatch: PER_BATCH,
        encoding: ENCODING,
        sites: SITES,
        brokerOnly: broker,
        runs: results,
        targets,
        bestSqliteSamplesPerSec: best,
        bestSqliteRatioToBroker: Number(bestRatio.toFixed(3)),
      })}\n`,
    );
  } finally {
    await postgres?.stop();
    await mosquitto.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:ingest failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
