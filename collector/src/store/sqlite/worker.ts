/**
 * The worker thread of `openSqliteStoreInWorker` (worker-store.ts): it holds the SQLite connection
 * and runs each call it is sent, in the order they come, answering with the result.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type PackedBatch, unpackRows } from '../packed-batch.js';
import { type ForwardedMethod, openSqliteCore, type SqliteCore } from './core.js';

export type SqliteCall =
  | { readonly id: number; readonly method: 'insertPacked'; readonly args: readonly [readonly PackedBatch[]] }
  | { readonly id: number; readonly method: ForwardedMethod | 'close'; readonly args: readonly unknown[] };

/** Id 0 answers the opening (migrations included). */
export type SqliteReply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly message: string };

const port = parentPort;
if (port === null) throw new Error('the SQLite worker runs as a worker thread');
const answer = (reply: SqliteReply) => port.postMessage(reply);
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

let core: SqliteCore | undefined;
try {
  core = openSqliteCore((workerData as { path: string }).path);
  answer({ id: 0, ok: true, value: null });
} catch (error) {
  answer({ id: 0, ok: false, message: messageOf(error) });
}

function run(open: SqliteCore, call: SqliteCall): Promise<unknown> {
  if (call.method === 'insertPacked') return open.insertRows((call.args[0] as readonly PackedBatch[]).map(unpackRows));
  const method = open[call.method] as (...args: readonly unknown[]) => Promise<unknown>;
  return method(...call.args);
}

port.on('message', (call: SqliteCall) => {
  if (core === undefined) return answer({ id: call.id, ok: false, message: 'the store did not open' });
  run(core, call).then(
    (value) => answer({ id: call.id, ok: true, value }),
    (error: unknown) => answer({ id: call.id, ok: false, message: messageOf(error) }),
  );
});
