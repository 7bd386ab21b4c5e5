import {
  type Collector,
  type CollectorConfig,
  collectorConfigSchema,
  createCollector,
  type Store,
} from '@pantau/collector';
import { createLogger, encodePayload } from '@pantau/shared';
import mqtt from 'mqtt';
import { cpuMeter, type LoadShape, prepareLoad } from './ingest-load.js';
import { drainRollups } from './ingest-store-alone.js';

export interface CollectorRun {
  readonly name: string;
  readonly mosquitto: { readonly url: string; readonly pid: number };
  readonly store: Store;
  readonly messages: number;
  readonly ingest: CollectorConfig['ingest'];
  readonly root: string;
  readonly rollupsIntervalSec: number;
  readonly load: LoadShape;
}

/**
 * Wraps a store to count the load's samples, time the probe site's batches, and count the site-days
 * the roll-up job recomputed during the run (store work the store-alone run does not do).
 */
function observe(store: Store, lags: number[]): { store: Store; stored: () => number; rolledUpSiteDays: () => number } {
  let stored = 0;
  let rolledUp = 0;
  const seen = (batch: { siteId: string; sentAtMs: number }, inserted: number) => {
    if (batch.siteId === 'lag-probe') lags.push(Date.now() - batch.sentAtMs);
    else stored += inserted;
  };
  return {
    stored: () => stored,
    rolledUpSiteDays: () => rolledUp,
    store: {
      ...store,
      async refreshRollups(limit) {
        const n = await store.refreshRollups(limit);
        rolledUp += n;
        return n;
      },
      async insertBatches(items) {
        const rs = await store.insertBatches(items);
        for (const [i, item] of items.entries()) seen(item.batch, rs[i]?.inserted ?? 0);
        return rs;
      },
    },
  };
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;

/** One collector run: the load published to `mosquitto` and stored by a collector on `rawStore`. */
export async function collectorRun(run: CollectorRun) {
  const { name, mosquitto, messages, root } = run;
  const { connections } = run.ingest;
  const rawStore = run.store;
  const lags: number[] = [];
  const { store, stored, rolledUpSiteDays } = observe(rawStore, lags);
  const config = collectorConfigSchema.parse({
    topicRoot: root,
    mqtt: { url: mosquitto.url, clientId: `bench-${name}` },
    ingest: run.ingest,
    gaps: { enabled: false },
    // Roll-ups run as in production (default every 10 s), on the thread that holds the SQLite
    // connection.
    rollups: { intervalSec: run.rollupsIntervalSec },
  });
  const collector: Collector = createCollector({ config, store, log: createLogger('bench', 'warn'), nowMs: Date.now });
  await collector.start();
  const go = await prepareLoad(run.load, mosquitto.url, root, messages, name);
  const probe = await mqtt.connectAsync(mosquitto.url, { clientId: `probe-${name}` });
  let probeSeq = 0;
  const probeTimer = setInterval(() => {
    const now = Date.now();
    const payload = encodePayload('telemetry', {
      v: 1,
      siteId: 'lag-probe',
      agentVersion: 'bench',
      sentAtMs: now,
      samples: [{ seq: probeSeq++, bootId: 'probe', wallMs: now, clockSynced: true, uptimeMs: 1 }],
    });
    void probe.publishAsync(`${root}/site/lag-probe/telemetry`, payload, { qos: 1 }).catch(() => {});
  }, 100);
  const total = messages * run.load.perBatch;
  const cpu = cpuMeter(mosquitto.pid);
  const loopBefore = performance.eventLoopUtilization();
  const load = await go();
  const started = load.goMs;
  while (stored() < total) {
    await new Promise((r) => setTimeout(r, 20));
    if (Date.now() - started > 600_000) throw new Error(`${name}: only ${stored()} of ${total} stored after 10 min`);
  }
  const doneMs = Date.now();
  const rolledUp = rolledUpSiteDays();
  // Every site-day the run touched rolled up, as the store-alone run ends: the CPU figure then holds
  // the same store work whatever the run's length (a longer run sees more of the timer's refreshes).
  const drained = await drainRollups(store);
  const used = cpu();
  // The main thread's share: with SQLite on a worker thread, collector CPU counts both threads.
  const mainLoopBusy = performance.eventLoopUtilization(loopBefore).utilization;
  clearInterval(probeTimer);
  await probe.endAsync();
  await collector.stop();
  const seconds = (doneMs - started) / 1000;
  lags.sort((a, b) => a - b);
  return {
    store: name,
    connections,
    samples: total,
    seconds,
    samplesPerSec: Math.round(total / seconds),
    drainAfterLastPublishMs: doneMs - load.lastPublishMs,
    // CPU per 1000 stored samples: comparable across machines where samples/s is not.
    collectorCpuMsPer1000: Number(((used.collectorCpuMs / total) * 1000).toFixed(1)),
    collectorCpuPct: Math.round((used.collectorCpuMs / (seconds * 1000)) * 100),
    mainLoopBusyPct: Math.round(mainLoopBusy * 100),
    brokerCpuPct: Math.round((used.brokerCpuMs / (seconds * 1000)) * 100),
    generatorCpuMs: load.generatorCpuMs,
    lagMs: { p50: pct(lags, 50), p99: pct(lags, 99), max: lags.at(-1) ?? 0, probes: lags.length },
    rejected: collector.ingest.counters().rejected,
    rollupSiteDaysDuringRun: rolledUp,
    rollupSiteDaysDrained: drained,
  };
}
