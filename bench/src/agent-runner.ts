/**
 * One side of `pnpm bench:agent`: the real agent (as `pantau-agent run` wires it), every probe on
 * local targets, in its own process started with the bin's launch flags, measuring itself.
 * Configured by the PANTAU_BENCH environment variable (JSON); prints one JSON line.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { agentConfigSchema, createCycleScheduler, openAgent, realAgentIo, systemClock } from '@pantau/agent';
import { createLogger } from '@pantau/shared';
import { countedCycles } from './counted-cycles.js';
import { type LongTaskReport, startLongTaskProbe } from './long-tasks.js';
import { type LoopBlocks, watchLoopBlocks } from './loop-blocks.js';
import { procStats } from './proc-stats.js';

interface RunnerOptions {
  readonly brokerUrl: string;
  readonly dir: string;
  readonly cycles: number;
  readonly warmupCycles: number;
  readonly intervalMs: number;
  /** Run V8's sampling profiler to name what blocks the loop (costs CPU and memory: diagnostic). */
  readonly profileBlocks: boolean;
}

export interface RunnerResult {
  readonly cycles: number;
  readonly rssAfterWarmupBytes: number;
  readonly rssEndBytes: number;
  readonly rssMaxBytes: number;
  /** Least-squares slope of RSS over the cycles after warm-up (one point every 10 cycles). */
  readonly rssSlopeBytesPer1000Cycles: number;
  /** The same over the second half only: growth that is still going on, not the heap warming up. */
  readonly rssSlopeSecondHalfBytesPer1000Cycles: number;
  readonly heapUsedEndBytes: number;
  readonly cpuMsPerCycle: number;
  readonly childCpuMsPerCycle: number;
  /** Processes the sample cycles started (the host inventory's are counted apart). */
  readonly spawnsPerCycle: number;
  /** The processes started after warm-up, by command (a shell's by the command it runs). */
  readonly spawnsByCommand: Readonly<Record<string, number>>;
  /**
   * Processes the host inventory started after warm-up: a daily job, a minute after start, which
   * this run's fast cycles reach within its measured part.
   */
  readonly inventorySpawns: number;
  readonly icmpTargetsPerCycle: number;
  readonly eventLoopMaxBlockMs: number;
  readonly eventLoopP99Ms: number;
  /** The worst late tick split by schedstat, and the worst less its time waiting for a CPU. */
  readonly loopBlocks: LoopBlocks;
  readonly threads: number;
  readonly samplesTaken: number;
  readonly probesInSample: readonly string[];
  readonly undelivered: number;
  readonly longTasks?: LongTaskReport;
}

const options = JSON.parse(process.env.PANTAU_BENCH ?? '{}') as RunnerOptions;

// Every child process anything in this process starts (ping, a shell, exec, execFile) goes through
// ChildProcess#spawn; counted by command, so a process that is not the ping is named.
let spawns = 0;
let inventorySpawns = 0;
let spawnsByCommand = new Map<string, number>();
// What started a process: the inventory's reads run inside `spawnOrigin.run('inventory', ...)`.
const spawnOrigin = new AsyncLocalStorage<'inventory'>();
// Node's own method, not in its types: every way of starting a process ends in it.
interface SpawningPrototype {
  spawn(this: ChildProcess, options: { file: string; args?: readonly string[] }): unknown;
}
const prototype = ChildProcess.prototype as unknown as SpawningPrototype;
const spawnChild = prototype.spawn;
prototype.spawn = function countedSpawn(spawnOptions) {
  const fromInventory = spawnOrigin.getStore() === 'inventory';
  if (fromInventory) inventorySpawns += 1;
  else spawns += 1;
  const command = `${fromInventory ? 'inventory: ' : ''}${commandName(spawnOptions.file, spawnOptions.args ?? [])}`;
  spawnsByCommand.set(command, (spawnsByCommand.get(command) ?? 0) + 1);
  return spawnChild.call(this, spawnOptions);
};

// A power monitor (INA219 through hwmon) and the Pi's throttle word, in a sysfs tree of files.
const sysfsRoot = join(options.dir, 'sys');
mkdirSync(join(sysfsRoot, 'class/hwmon/hwmon0'), { recursive: true });
mkdirSync(join(sysfsRoot, 'devices/platform/soc/soc:firmware'), { recursive: true });
const sysfsFiles: [string, string][] = [
  ['class/hwmon/hwmon0/name', 'ina219'],
  ['class/hwmon/hwmon0/in1_input', '12650'],
  ['class/hwmon/hwmon0/curr1_input', '-820'],
  ['devices/platform/soc/soc:firmware/get_throttled', 'throttled=0x0'],
];
for (const [file, text] of sysfsFiles) writeFileSync(join(sysfsRoot, file), `${text}\n`);

const config = agentConfigSchema.parse({
  siteId: 'bench-01',
  dataDir: join(options.dir, 'agent-data'),
  mqtt: { url: options.brokerUrl, startDelayMaxMs: 0 },
  // Deliver every second, so publishing is part of what each cycle costs.
  delivery: { intervalSec: 1 },
  // Local targets only: no gateway detection (it would ping this machine's real gateway).
  probes: {
    latency: { detectGateway: false, targets: [{ role: 'noc', host: '127.0.0.1', count: 1, timeoutMs: 1000 }] },
    usage: { source: 'interface', interface: 'lo' },
    clients: { source: 'neighbour' },
    power: { enabled: true, driver: 'hwmon', sysfsRoot, throttled: { source: 'file' } },
    // Scheduled in a night window, so it is configured (its code is loaded) but not run here.
    throughput: { enabled: true, endpoint: 'http://127.0.0.1:9/speedtest' },
  },
  log: { level: 'warn' },
});
const icmpTargetsPerCycle = config.probes.latency.targets.length;

const loopDelay = monitorEventLoopDelay({ resolution: 1 });
let baseline = { rssBytes: 0, cpuMs: 0, childCpuMs: 0, spawns: 0, inventorySpawns: 0 };
const rssSeries: [number, number][] = [];
let stopProfile: (() => Promise<LongTaskReport>) | null = null;
let stopLoopWatch: () => LoopBlocks = () => ({
  worst: { lateMs: 0, onCpuMs: 0, waitingForCpuMs: 0, blockedMs: 0 },
  worstOwnMs: 0,
  maxOnCpuMs: 0,
  ticks: 0,
});
let finished: () => void = () => {};
const done = new Promise<void>((resolve) => {
  finished = resolve;
});

const io = realAgentIo(config);
const agent = await openAgent(config, {
  ...io,
  inventory: { read: () => spawnOrigin.run('inventory', () => io.inventory.read()) },
  // The agent's own schedule at a faster interval than the config's whole seconds.
  cycles: countedCycles(
    createCycleScheduler(options.intervalMs, {
      clock: systemClock,
      // Silent: at 100 ms on a shared machine many cycles start late, and a line for each would be
      // a cost the agent does not pay at its real interval.
      log: createLogger('bench-cycles', 'silent'),
      wallClockTrusted: async () => false,
    }),
    options.warmupCycles + options.cycles,
    (run) => {
      // Start-up (module loading, compiling, the first connection) is over after warm-up; it is
      // left out of every figure, which are about the agent running for months.
      if (run === options.warmupCycles) {
        const now = procStats(process.pid);
        baseline = { rssBytes: now.rssBytes, cpuMs: now.cpuMs, childCpuMs: now.childCpuMs, spawns, inventorySpawns };
        spawnsByCommand = new Map();
        loopDelay.reset();
        loopDelay.enable();
        stopLoopWatch = watchLoopBlocks();
        if (options.profileBlocks) {
          void startLongTaskProbe(10).then((stop) => {
            stopProfile = stop;
          });
        }
      }
      if (run >= options.warmupCycles && run % 10 === 0) {
        rssSeries.push([run - options.warmupCycles, procStats(process.pid).rssBytes]);
      }
    },
    () => finished(),
  ),
});

await agent.start();
await done;
loopDelay.disable();
const loopBlocks = stopLoopWatch();
const longTasks = stopProfile === null ? undefined : await (stopProfile as () => Promise<LongTaskReport>)();
const end = procStats(process.pid);
const stats = agent.stats;
await agent.stop();
const probesInSample = await lastSampleProbes();
const result: RunnerResult = {
  cycles: options.cycles,
  rssAfterWarmupBytes: baseline.rssBytes,
  rssEndBytes: end.rssBytes,
  rssMaxBytes: Math.max(end.rssBytes, ...rssSeries.map(([, rss]) => rss)),
  rssSlopeBytesPer1000Cycles: slope(rssSeries) * 1000,
  rssSlopeSecondHalfBytesPer1000Cycles: slope(rssSeries.slice(Math.floor(rssSeries.length / 2))) * 1000,
  heapUsedEndBytes: process.memoryUsage().heapUsed,
  cpuMsPerCycle: (end.cpuMs - baseline.cpuMs) / options.cycles,
  childCpuMsPerCycle: (end.childCpuMs - baseline.childCpuMs) / options.cycles,
  spawnsPerCycle: (spawns - baseline.spawns) / options.cycles,
  spawnsByCommand: Object.fromEntries(spawnsByCommand),
  inventorySpawns: inventorySpawns - baseline.inventorySpawns,
  icmpTargetsPerCycle,
  eventLoopMaxBlockMs: loopDelay.max / 1e6,
  eventLoopP99Ms: loopDelay.percentile(99) / 1e6,
  loopBlocks,
  threads: end.threads,
  samplesTaken: stats.samplesTaken,
  probesInSample,
  undelivered: stats.spoolDepth,
  ...(longTasks === undefined ? {} : { longTasks }),
};
process.stdout.write(`${JSON.stringify(result)}\n`);

/** Which probe sections the newest sample on disk holds (read once the agent has stopped). */
async function lastSampleProbes(): Promise<string[]> {
  const { nodeSpoolIo, openFileSpool } = await import('@pantau/agent');
  const { createLogger } = await import('@pantau/shared');
  const spool = openFileSpool({
    dir: join(config.dataDir, 'spool'),
    maxSamples: config.spool.maxSamples,
    segmentSamples: config.spool.segmentSamples,
    log: createLogger('bench', 'silent'),
    io: nodeSpoolIo,
  });
  const [sample] = spool.range(spool.lastSeq, spool.lastSeq, 1).samples;
  spool.close();
  return Object.keys(sample?.probes ?? {});
}

/** `ping` for `/usr/bin/ping -c 1 ...`; for `/bin/sh -c "lsblk -b ..."` the shell's first word, `lsblk`. */
function commandName(file: string, args: readonly string[]): string {
  const shell = /(^|\/)(ba|da)?sh$/.test(file) && args[1] === '-c';
  const first = shell ? ((args[2] ?? '').trim().split(/\s+/)[0] ?? '') : file;
  return shell ? `sh -c ${basename(first)}` : basename(first);
}

function slope(points: readonly [number, number][]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}
