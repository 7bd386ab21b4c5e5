import { Worker } from 'node:worker_threads';
import { type PackedBatch, packBatch } from './packed-batch.js';
import type { SqliteCore } from './sqlite-store.js';
import type { SqliteCall, SqliteReply } from './sqlite-worker.js';
import type { InsertResult, Store } from './store.js';

/** A clone of a packed batch that owns only its bytes (a Buffer from mqtt.js views a larger one). */
function own(packed: PackedBatch): PackedBatch {
  return { ...packed, payload: new Uint8Array(packed.payload) };
}

/**
 * The worker's script. Run from the TypeScript sources (vitest does), the built one in dist/, as
 * for spawned programs: a worker thread is a fresh isolate without vitest's transform.
 */
function workerScript(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts')
    ? new URL('../../dist/store/sqlite-worker.js', here)
    : new URL('./sqlite-worker.js', here);
}

/**
 * The SQLite store with its connection on a worker thread: SQLite's work (inserts, commits,
 * checkpoints, roll-ups, retention) runs on another core than MQTT and decoding. The calling thread
 * only packs each batch (packed-batch.ts). A call resolves once the worker has committed it, so a
 * message is still acknowledged only after its samples are committed. If the worker dies, every
 * call in flight and after fails (the broker keeps those messages).
 */
export async function openSqliteStoreInWorker(path: string): Promise<Store> {
  const worker = new Worker(workerScript(), { workerData: { path } });
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 1;
  let failure: Error | null = null;
  const failAll = (error: Error) => {
    failure ??= error;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  const opened = new Promise<void>((resolve, reject) => {
    pending.set(0, { resolve: () => resolve(), reject });
  });
  worker.on('message', (reply: SqliteReply) => {
    const p = pending.get(reply.id);
    if (p === undefined) return;
    pending.delete(reply.id);
    if (reply.ok) p.resolve(reply.value);
    else p.reject(new Error(reply.message));
  });
  worker.on('error', (error) => failAll(error));
  worker.on('exit', (code) => failAll(new Error(`the SQLite worker exited (code ${code})`)));
  try {
    await opened;
  } catch (error) {
    // The worker would otherwise wait for calls forever and keep the process alive.
    await worker.terminate();
    throw error;
  }

  function call<M extends keyof SqliteCore>(
    method: M,
    ...args: Parameters<SqliteCore[M]>
  ): Promise<Awaited<ReturnType<SqliteCore[M]>>> {
    if (failure !== null) return Promise.reject(failure);
    const id = nextId++;
    const message: SqliteCall = { id, method, args };
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage(message);
    });
  }
  const insertPacked = (batches: PackedBatch[]): Promise<InsertResult[]> => call('insertPacked', batches.map(own));
  let closing: Promise<void> | null = null;

  return {
    commitsOffThread: true,
    insertBatch: async (batch, receivedMs, payload) =>
      (await insertPacked([packBatch({ batch, receivedMs, payload })]))[0] ?? { inserted: 0, duplicates: 0 },
    insertBatches: (items) => insertPacked(items.map(packBatch)),
    applyStatus: (status, receivedMs) => call('applyStatus', status, receivedMs),
    listSites: () => call('listSites'),
    listSamples: (siteId) => call('listSamples', siteId),
    recordReject: (reject, keep) => call('recordReject', reject, keep),
    listRejects: (limit) => call('listRejects', limit),
    receivedRanges: (siteId) => call('receivedRanges', siteId),
    missingRanges: (siteId, limit) => call('missingRanges', siteId, limit),
    markGone: (siteId, ranges) => call('markGone', siteId, ranges),
    refreshRollups: (limit) => call('refreshRollups', limit),
    rollups: (siteId, grain, fromMs, toMs) => call('rollups', siteId, grain, fromMs, toMs),
    completeness: (siteId, fromMs, toMs) => call('completeness', siteId, fromMs, toMs),
    pruneSamples: (beforeMs) => call('pruneSamples', beforeMs),
    close() {
      closing ??= (async () => {
        if (failure === null) await call('close');
        // Calls after this fail rather than wait for a worker that is gone.
        failure ??= new Error('the store is closed');
        await worker.terminate();
      })();
      return closing;
    },
  };
}
