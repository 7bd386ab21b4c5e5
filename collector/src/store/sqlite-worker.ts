/**
 * The worker thread of `openSqliteStoreInWorker` (sqlite-worker-store.ts): it holds the SQLite
 * connection and runs each call it is sent, in the order they come, answering with the result.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteCore, type SqliteCore } from './sqlite-store.js';

export interface SqliteCall {
  readonly id: number;
  readonly method: keyof SqliteCore;
  readonly args: readonly unknown[];
}

/** Id 0 answers the opening (migrations included). */
export type SqliteReply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly message: string };

const port = parentPort;
if (port === null) throw new Error('sqlite-worker.js runs as a worker thread');
const answer = (reply: SqliteReply) => port.postMessage(reply);
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

let core: SqliteCore | undefined;
try {
  core = openSqliteCore((workerData as { path: string }).path);
  answer({ id: 0, ok: true, value: null });
} catch (error) {
  answer({ id: 0, ok: false, message: messageOf(error) });
}

port.on('message', (call: SqliteCall) => {
  if (core === undefined) return answer({ id: call.id, ok: false, message: 'the store did not open' });
  const method = core[call.method] as (...args: readonly unknown[]) => Promise<unknown>;
  method(...call.args).then(
    (value) => answer({ id: call.id, ok: true, value }),
    (error: unknown) => answer({ id: call.id, ok: false, message: messageOf(error) }),
  );
});
