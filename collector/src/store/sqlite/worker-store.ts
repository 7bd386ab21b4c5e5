import { Worker } from 'node:worker_threads';
import { toBatchRows } from '../batch-rows.js';
import { packRows } from '../packed-batch.js';
import type { Store } from '../store.js';
import { FORWARDED_METHODS, type ForwardedMethod, type SqliteCore } from './core.js';
import type { SqliteCall, SqliteReply } from './worker.js';

/**
 * The worker's script. Run from the TypeScript sources (vitest does), the built one in dist/, as
 * for spawned programs: a worker thread is a fresh isolate without vitest's transform.
 */
function workerScript(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts') ? new URL('../../../dist/store/sqlite/worker.js', here) : new URL('./worker.js', here);
}

/**
 * The SQLite store with its connection on a worker thread: SQLite's work (inserts, commits,
 * checkpoints, roll-ups, retention) runs on another core than MQTT and decoding. The calling thread
 * only turns each batch into rows and packs them (packed-batch.ts). A call resolves once the worker
 * has committed it, so a message is still acknowledged only after its samples are committed. If
 * the worker dies, every call in flight and after fails (the broker keeps those messages).
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

  function call<T>(message: Omit<SqliteCall, 'id'>): Promise<T> {
    if (failure !== null) return Promise.reject(failure);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ ...message, id });
    });
  }
  const forwarded = Object.fromEntries(
    FORWARDED_METHODS.map((method) => [method, (...args: unknown[]) => call({ method, args })]),
  ) as Pick<SqliteCore, ForwardedMethod>;
  let closing: Promise<void> | null = null;

  return {
    ...forwarded,
    commitsOffThread: true,
    insertBatches: (items) =>
      call({ method: 'insertPacked', args: [items.map((item) => packRows(toBatchRows(item)))] }),
    close() {
      closing ??= (async () => {
        if (failure === null) await call({ method: 'close', args: [] });
        // Calls after this fail rather than wait for a worker that is gone.
        failure ??= new Error('the store is closed');
        await worker.terminate();
      })();
      return closing;
    },
  };
}
