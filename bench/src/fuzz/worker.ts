/**
 * The fuzzer's worker thread: makes and runs cases until its budget (cases or seconds) is spent,
 * writing the case it is on to shared memory first, so the supervisor can name the case that
 * crashed or stalled it. Reports progress, then its totals or its first failure.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import { caseMaker, type FuzzCase } from './cases.js';
import { type Bounds, FuzzFailure, runCase } from './oracle.js';
import { emptyStats, type FuzzStats, record } from './stats.js';

export interface WorkerInput {
  readonly seed: number;
  readonly from: number;
  readonly cases: number;
  readonly seconds: number;
  readonly bounds: Bounds;
  /** Only the cases whose name starts with this (e.g. `limit`), when given. */
  readonly only: string | undefined;
  /** [case being run, cases finished]: read by the supervisor. */
  readonly shared: SharedArrayBuffer;
}

export type WorkerMessage =
  | { readonly type: 'progress'; readonly stats: FuzzStats }
  | { readonly type: 'done'; readonly stats: FuzzStats; readonly retainedBytes: number }
  | {
      readonly type: 'failure';
      readonly index: number;
      readonly kind: string;
      readonly message: string;
      readonly stats: FuzzStats;
    };

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const usedHeap = () => {
  gc();
  return getHeapStatistics().used_heap_size;
};

const input = workerData as WorkerInput;
const port = parentPort;
if (port === null) throw new Error('the fuzz worker runs in a worker thread');
const progress = new Int32Array(input.shared);
const maker = caseMaker(input.seed);
const stats = emptyStats();
const heapAtStart = usedHeap();
const endMs = Date.now() + input.seconds * 1000;
let lastReportMs = Date.now();
let failed = false;
for (let index = input.from; index < input.from + input.cases && Date.now() < endMs; index++) {
  Atomics.store(progress, 0, index);
  let c: FuzzCase;
  try {
    c = maker.make(index);
  } catch (error) {
    const message = `the fuzzer could not make the case: ${(error as Error).stack}`;
    port.postMessage({ type: 'failure', index, kind: 'generator', message, stats } satisfies WorkerMessage);
    failed = true;
    break;
  }
  if (input.only !== undefined && !c.name.startsWith(input.only)) {
    Atomics.add(progress, 1, 1);
    continue;
  }
  try {
    record(stats, c, runCase(c, input.bounds));
  } catch (error) {
    const kind = error instanceof FuzzFailure ? error.kind : 'throw';
    port.postMessage({
      type: 'failure',
      index,
      kind,
      message: (error as Error).message,
      stats,
    } satisfies WorkerMessage);
    failed = true;
    break;
  }
  Atomics.add(progress, 1, 1);
  if (Date.now() - lastReportMs >= 5000) {
    lastReportMs = Date.now();
    port.postMessage({ type: 'progress', stats } satisfies WorkerMessage);
  }
}
if (!failed) {
  port.postMessage({ type: 'done', stats, retainedBytes: usedHeap() - heapAtStart } satisfies WorkerMessage);
}
