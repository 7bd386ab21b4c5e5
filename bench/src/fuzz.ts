#!/usr/bin/env node
/**
 * `pnpm fuzz`: a structure-aware fuzzer for every payload encoding (JSON, DEFLATE, Brotli, columnar)
 * and every kind a site or the collector sends (telemetry, status, resend, resend-reply). It mutates
 * valid encoder output (bits, bytes, truncation, splicing, inflated counts and varints, swapped kinds,
 * fields, parameters and tags, damaged value bits, compression bombs) and sends random bytes and
 * payloads at the protocol's limits, through the collector's decoder and the plain one.
 *
 * It fails (exit 1, printing the seed, the case and the payload in hex) when a decoder throws or
 * crashes, the two disagree, one message costs more CPU than --max-ms, grows the heap by more than
 * --max-heap-mb, or stalls for --stall-sec. It prints the cases run and the worst time and memory
 * per message; the last line is one JSON object.
 *
 *   pnpm fuzz [--seconds N | --cases N] [--seed S] [--from I] [--max-ms 2000] [--max-heap-mb 256] [--only limit]
 */
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { caseMaker } from './fuzz/cases.js';
import type { Bounds } from './fuzz/oracle.js';
import type { FuzzStats } from './fuzz/stats.js';
import type { WorkerInput, WorkerMessage } from './fuzz/worker.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string' },
    cases: { type: 'string' },
    seed: { type: 'string' },
    from: { type: 'string', default: '0' },
    'max-ms': { type: 'string', default: '2000' },
    'max-heap-mb': { type: 'string', default: '256' },
    /** The worker's whole heap: a message that needs more crashes it, which is a failure too. */
    'worker-heap-mb': { type: 'string', default: '1024' },
    'stall-sec': { type: 'string', default: '60' },
    /** Run only the cases whose name starts with this, e.g. `limit` for the payloads made to reach a limit. */
    only: { type: 'string' },
  },
});
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
const cases = values.cases === undefined ? Number.POSITIVE_INFINITY : Number(values.cases);
const seconds =
  values.seconds === undefined ? (values.cases === undefined ? 60 : Number.POSITIVE_INFINITY) : Number(values.seconds);
const from = Number(values.from);
const bounds: Bounds = { maxCpuMs: Number(values['max-ms']), maxHeapBytes: Number(values['max-heap-mb']) * 2 ** 20 };
const stallMs = Number(values['stall-sec']) * 1000;
const say = (line: string) => process.stdout.write(`${line}\n`);
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

say(
  `pantau fuzz: seed ${seed}, ${Number.isFinite(cases) ? `${cases} cases` : `${seconds} s`}; a message may cost ` +
    `${bounds.maxCpuMs} ms of CPU and ${values['max-heap-mb']} MiB of heap ` +
    `(worker heap ${values['worker-heap-mb']} MiB)`,
);

function failure(index: number, kind: string, message: string, stats: FuzzStats | null): void {
  say(`FAILED (${kind}) at case ${index} of seed ${seed}`);
  say(`  ${message.split('\n').slice(0, 8).join('\n  ')}`);
  say(`  replay: pnpm fuzz --seed ${seed} --from ${index} --cases 1`);
  process.exitCode = 1;
  if (kind === 'generator') return;
  const c = caseMaker(seed).make(index);
  say(`  the case: ${c.name}, on a ${c.kind} topic`);
  say(`  payload (${c.payload.byteLength} bytes): ${c.payload.toString('hex')}`);
  say(JSON.stringify({ fuzz: 'failed', seed, index, kind, case: c.name, topicKind: c.kind, stats }));
}

function summary(stats: FuzzStats, retainedBytes: number, elapsedMs: number): void {
  const w = (label: string, x: FuzzStats['worstCpuMs'], unit: (v: number) => string) =>
    say(`${label.padEnd(26)} ${unit(x.value)} (case ${x.index}: ${x.name}, ${x.bytes} bytes)`);
  say(
    `cases run:                 ${stats.cases} in ${(elapsedMs / 1000).toFixed(0)} s ` +
      `(${Math.round(stats.cases / (elapsedMs / 1000))}/s)`,
  );
  say(`accepted:                  ${stats.accepted}`);
  say(`rejected, by reason:       ${JSON.stringify(stats.rejectsByCode)}`);
  say(`cases by strategy:         ${JSON.stringify(stats.casesByStrategy)}`);
  say(`cases by topic kind:       ${JSON.stringify(stats.casesByKind)}`);
  w('worst CPU per message:', stats.worstCpuMs, (v) => `${v.toFixed(1)} ms`);
  w('worst wall time per message:', stats.worstWallMs, (v) => `${v.toFixed(1)} ms`);
  w('worst heap per message:', stats.worstHeapBytes, (v) => `${mib(v)} MiB`);
  say(`mean CPU per message:      ${(stats.cpuMsTotal / Math.max(1, stats.cases)).toFixed(2)} ms`);
  for (const [name, p] of Object.entries(stats.limitProbes).sort()) {
    say(
      `  ${name.padEnd(44)} ${p.cpuMs.toFixed(1).padStart(7)} ms CPU ` +
        `${mib(p.heapBytes).padStart(6)} MiB heap (${p.bytes} bytes)`,
    );
  }
  say(`heap retained after the run (caches): ${mib(retainedBytes)} MiB`);
  say(
    JSON.stringify({
      fuzz: 'passed',
      seed,
      cases: stats.cases,
      seconds: Math.round(elapsedMs / 1000),
      accepted: stats.accepted,
      rejectsByCode: stats.rejectsByCode,
      casesByStrategy: stats.casesByStrategy,
      worstCpuMs: Number(stats.worstCpuMs.value.toFixed(2)),
      worstCpuCase: stats.worstCpuMs,
      worstWallMs: Number(stats.worstWallMs.value.toFixed(2)),
      worstHeapMiB: Number(mib(stats.worstHeapBytes.value)),
      worstHeapCase: stats.worstHeapBytes,
      retainedHeapMiB: Number(mib(retainedBytes)),
      limitProbes: stats.limitProbes,
      bounds: { maxCpuMs: bounds.maxCpuMs, maxHeapMiB: Number(values['max-heap-mb']) },
    }),
  );
}

const shared = new SharedArrayBuffer(8);
const progress = new Int32Array(shared);
const startMs = Date.now();
const input: WorkerInput = { seed, from, cases, seconds, bounds, shared, only: values.only };
const worker = new Worker(new URL('./fuzz/worker.js', import.meta.url), {
  workerData: input,
  // A young generation large enough that most messages are decoded without a scavenge, so the heap
  // a message grows by is what it allocated, not what survived the last collection.
  resourceLimits: { maxOldGenerationSizeMb: Number(values['worker-heap-mb']), maxYoungGenerationSizeMb: 256 },
});
let last: FuzzStats | null = null;
let finished = false;
let lastDone = -1;
let lastMoveMs = Date.now();
const watchdog = setInterval(() => {
  const done = Atomics.load(progress, 1);
  if (done !== lastDone) {
    lastDone = done;
    lastMoveMs = Date.now();
  } else if (Date.now() - lastMoveMs > stallMs && !finished) {
    finished = true;
    void worker.terminate();
    failure(Atomics.load(progress, 0), 'stall', `no case finished for ${stallMs / 1000} s`, last);
  }
}, 1000);
worker.on('message', (m: WorkerMessage) => {
  last = m.stats;
  if (m.type === 'progress') {
    const s = m.stats;
    say(
      `  ${s.cases} cases, worst ${s.worstCpuMs.value.toFixed(1)} ms CPU (${s.worstCpuMs.name}), ` +
        `worst heap ${mib(s.worstHeapBytes.value)} MiB (${s.worstHeapBytes.name})`,
    );
  } else if (m.type === 'done') {
    finished = true;
    summary(m.stats, m.retainedBytes, Date.now() - startMs);
  } else {
    finished = true;
    failure(m.index, m.kind, m.message, m.stats);
  }
});
worker.on('error', (error: Error) => {
  if (finished) return;
  finished = true;
  failure(Atomics.load(progress, 0), 'crash', `the worker died: ${error.message}`, last);
});
worker.on('exit', () => clearInterval(watchdog));
