/**
 * `pnpm bench:sysinfo`: what each systeminformation call the host probe could use costs on this
 * machine — wall time, child processes started, and the heap its module adds when loaded — beside
 * the direct /proc and /sys reads the agent makes instead. docs/host.md holds the table and says
 * which call runs when. Prints a table, then one JSON line.
 *
 *   pnpm bench:sysinfo [--runs 5]
 *
 * Child processes are counted by wrapping child_process's functions before systeminformation is
 * loaded (it takes them at load time), so synchronous ones (execSync) count as well as exec; a call
 * made inside another (exec calls execFile) is the same process and counts once.
 */
import childProcess from 'node:child_process';
import { readFile, statfs } from 'node:fs/promises';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Math.max(1, Number(values.runs));

const spawned: string[] = [];
let depth = 0;
type AnyFn = (...args: unknown[]) => unknown;
const cp = childProcess as unknown as Record<string, AnyFn>;
for (const name of ['exec', 'execSync', 'execFile', 'execFileSync', 'spawn', 'spawnSync']) {
  const original = cp[name];
  if (original === undefined) continue;
  cp[name] = function counted(this: unknown, ...args: unknown[]) {
    // exec calls execFile, which starts the one process: count the outermost call only.
    if (depth === 0) spawned.push(`${name} ${String(args[0]).slice(0, 60)}`);
    depth++;
    try {
      return original.apply(this, args);
    } finally {
      depth--;
    }
  };
}
syncBuiltinESMExports();

const require = createRequire(import.meta.url);
const gc = (globalThis as { gc?: () => void }).gc;

interface Row {
  readonly call: string;
  readonly module: string;
  readonly firstMs: number;
  readonly medianMs: number;
  readonly spawnsPerCall: number;
  readonly commands: string;
  readonly moduleHeapKb: number | null;
}

const loaded = new Set<string>();

/** Heap the module adds when first required (after a GC on both sides, when --expose-gc is on). */
function load(module: string): { exports: Record<string, AnyFn>; heapKb: number | null } {
  const first = !loaded.has(module);
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const exports = require(`systeminformation/lib/${module}.js`) as Record<string, AnyFn>;
  gc?.();
  loaded.add(module);
  return {
    exports,
    heapKb: first && gc !== undefined ? Math.round((process.memoryUsage().heapUsed - before) / 1024) : null,
  };
}

async function measure(call: string, module: string, run: () => Promise<unknown>, heapKb: number | null): Promise<Row> {
  const times: number[] = [];
  const before = spawned.length;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  const commands = [...new Set(spawned.slice(before).map((c) => c.split(' ').slice(0, 3).join(' ')))].join('; ');
  const sorted = [...times].sort((a, b) => a - b);
  return {
    call,
    module,
    firstMs: round(times[0] ?? 0),
    medianMs: round(sorted[Math.floor(sorted.length / 2)] ?? 0),
    spawnsPerCall: (spawned.length - before) / runs,
    commands,
    moduleHeapKb: heapKb,
  };
}

const round = (ms: number) => Math.round(ms * 100) / 100;

const siCalls: readonly [call: string, module: string, fn: string, args: unknown[]][] = [
  ['mem()', 'memory', 'mem', []],
  ['cpuTemperature()', 'cpu', 'cpuTemperature', []],
  ['currentLoad()', 'cpu', 'currentLoad', []],
  ['fsSize()', 'filesystem', 'fsSize', []],
  ['blockDevices()', 'filesystem', 'blockDevices', []],
  ['system()', 'system', 'system', []],
  ['osInfo()', 'osinfo', 'osInfo', []],
  ['versions("node")', 'osinfo', 'versions', ['node']],
  ['uuid()', 'osinfo', 'uuid', []],
];

const rows: Row[] = [];
for (const [call, module, fn, args] of siCalls) {
  const { exports, heapKb } = load(module);
  const f = exports[fn];
  if (f === undefined) continue;
  rows.push(await measure(call, module, () => Promise.resolve(f(...args)), heapKb));
}
const direct: readonly [string, () => Promise<unknown>][] = [
  ['/proc/meminfo', () => readFile('/proc/meminfo', 'utf8')],
  [
    '/sys/class/thermal/thermal_zone0/temp',
    () => readFile('/sys/class/thermal/thermal_zone0/temp', 'utf8').catch(() => null),
  ],
  ['/proc/loadavg', () => readFile('/proc/loadavg', 'utf8')],
  ['os.loadavg()', () => Promise.resolve(loadavg())],
  ['statfs(dataDir)', () => statfs('.')],
];
for (const [call, run] of direct) rows.push(await measure(call, '(direct)', run, null));

const width = Math.max(...rows.map((r) => r.call.length));
console.log(`${runs} calls each; heap of a module when first loaded (needs --expose-gc)\n`);
console.log(`${'call'.padEnd(width)}  first ms  median ms  spawns/call  module heap KB  commands`);
for (const r of rows) {
  console.log(
    `${r.call.padEnd(width)}  ${String(r.firstMs).padStart(8)}  ${String(r.medianMs).padStart(9)}  ${String(r.spawnsPerCall).padStart(11)}  ${String(r.moduleHeapKb ?? '-').padStart(14)}  ${r.commands}`,
  );
}
console.log(JSON.stringify({ bench: 'sysinfo', runs, rows }));
