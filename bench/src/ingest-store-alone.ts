import { type BatchItem, type CollectorConfig, groupCommitMax, openPostgresStore, type Store } from '@pantau/collector';
import { decodePayload } from '@pantau/shared';
import type { EncodedMessage } from './payloads.js';
import { createPgDatabase } from './servers.js';

export interface StoreAloneResult {
  readonly samples: number;
  readonly seconds: number;
  readonly samplesPerSec: number;
  /** CPU of this process (every thread: the store's worker too) per 1000 stored samples. */
  readonly cpuMsPer1000: number;
  /** Site-days rolled up after the inserts (every one they touched), inside the CPU figure. */
  readonly rollupSiteDays: number;
}

/** Site-days a roll-up call recomputes at most, as the collector's default job does. */
const ROLLUP_DAYS_PER_CALL = 2000;

/**
 * Rolls up every site-day still dirty: store work that follows from the batches stored, which the
 * collector does on a timer. Both sides of bench:ingest end with it, so each pays for rolling up
 * every site-day it touched whatever its run's length.
 */
export async function drainRollups(store: Pick<Store, 'refreshRollups'>): Promise<number> {
  let total = 0;
  for (;;) {
    const done = await store.refreshRollups(ROLLUP_DAYS_PER_CALL);
    total += done;
    if (done === 0) return total;
  }
}

/** The batches as ingest hands them to the store: decoded, with the payload the site sent. */
function decodeForStore(messages: readonly EncodedMessage[], receivedMs: number): BatchItem[] {
  return messages.map((m) => {
    const siteId = m.topic.split('/')[3] ?? '';
    const decoded = decodePayload('telemetry', m.payload, undefined, { siteId });
    if (!decoded.ok) throw new Error(`a bench payload did not decode: ${decoded.message}`);
    return { batch: decoded.value, receivedMs, payload: m.payload };
  });
}

/**
 * The same batches through the store alone, no MQTT and no decoding, then their roll-ups: groups of `groupSize` with at
 * most `inFlight` groups committing at once, as the collector's connections and group committer
 * hand them over (one connection: one batch a transaction, one at a time).
 */
async function storeAlone(
  store: Store,
  items: readonly BatchItem[],
  groupSize: number,
  inFlight: number,
): Promise<StoreAloneResult> {
  const groups: BatchItem[][] = [];
  for (let i = 0; i < items.length; i += groupSize) groups.push(items.slice(i, i + groupSize));
  let samples = 0;
  for (const item of items) samples += item.batch.samples.length;
  let next = 0;
  let stored = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const lane = async () => {
    while (next < groups.length) {
      const group = groups[next++] as BatchItem[];
      for (const r of await store.insertBatches(group)) stored += r.inserted;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  const seconds = (performance.now() - started) / 1000;
  const rollupSiteDays = await drainRollups(store);
  const cpu = process.cpuUsage(cpuBefore);
  if (stored !== samples) throw new Error(`store alone: ${stored} of ${samples} samples stored`);
  return {
    samples,
    seconds,
    samplesPerSec: Math.round(samples / seconds),
    cpuMsPer1000: Number((((cpu.user + cpu.system) / 1000 / samples) * 1000).toFixed(1)),
    rollupSiteDays,
  };
}

/**
 * The messages through a fresh store alone (decoded beforehand), grouped as the collector with
 * `ingest` groups them: each connection has one message in flight, so a group holds at most
 * `groupCommitMax` batches and no more than the connections, with as many groups in flight as the
 * connections fill (one connection: one batch a transaction).
 */
export async function storeAloneRun(
  open: () => Promise<Store>,
  messages: readonly EncodedMessage[],
  ingest: CollectorConfig['ingest'],
): Promise<StoreAloneResult> {
  const items = decodeForStore(messages, Date.now());
  const store = await open();
  try {
    const size = ingest.connections === 1 ? 1 : Math.min(ingest.connections, groupCommitMax(ingest, store));
    return await storeAlone(store, items, size, Math.ceil(ingest.connections / size));
  } finally {
    await store.close();
  }
}

let databases = 0;

/** A fresh database on the bench's PostgreSQL (at `url`) for a store-alone run. */
export async function openFreshPostgres(url: string, maxConnections: number): Promise<Store> {
  databases += 1;
  const name = `pantau_alone_${databases}`;
  return openPostgresStore({ connectionString: await createPgDatabase(url, name), maxConnections });
}
