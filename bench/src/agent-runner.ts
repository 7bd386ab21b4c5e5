/**
 * One side of `pnpm bench:agent`: the real agent, all probes on local targets, in its own process,
 * measuring itself. Configured by the PANTAU_BENCH environment variable (JSON); prints one JSON line.
 */
import { createHook } from 'node:async_hooks';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import {
  agentConfigSchema,
  createAgent,
  createLinuxHostInfo,
  createNodePowerIo,
  createSystemPinger,
  defaultHostPaths,
  nodeFileReader,
  systemClock,
} from '@pantau/agent';
import { createLogger } from '@pantau/shared';
import { fastScheduler } from './fast-scheduler.js';
import { procStats } from './proc-stats.js';

interface RunnerOptions {
  readonly brokerUrl: string;
  readonly cycles: number;
  readonly warmupCycles: number;
  readonly intervalMs: number;
}

export interface RunnerResult {
  readonly cycles: number;
  readonly rssAfterWarmupBytes: number;
  readonly rssEndBytes: number;
  readonly rssMaxBytes: number;
  readonly cpuMsPerCycle: number;
  readonly childCpuMsPerCycle: number;
  readonly spawnsPerCycle: number;
  readonly icmpTargetsPerCycle: number;
  readonly eventLoopMaxBlockMs: number;
  readonly eventLoopP99Ms: number;
  readonly samplesTaken: number;
  readonly undelivered: number;
}

const options = JSON.parse(process.env.PANTAU_BENCH ?? '{}') as RunnerOptions;

// Every child process anything in this process starts (ping, a shell) creates one PROCESSWRAP.
let spawns = 0;
createHook({
  init(_id, type) {
    if (type === 'PROCESSWRAP') spawns += 1;
  },
}).enable();

const config = agentConfigSchema.parse({
  siteId: 'bench-01',
  dataDir: mkdtempSync(join(tmpdir(), 'pantau-bench-agent-')),
  mqtt: { url: options.brokerUrl, startDelayMaxMs: 0 },
  // Deliver every second, so publishing is part of what each cycle costs.
  delivery: { intervalSec: 1 },
  // Local targets only: no gateway detection (it would ping this machine's real gateway).
  probes: {
    latency: { detectGateway: false, targets: [{ role: 'noc', host: '127.0.0.1', count: 1, timeoutMs: 1000 }] },
  },
});
const icmpTargetsPerCycle = config.probes.latency.targets.length;

const loopDelay = monitorEventLoopDelay({ resolution: 1 });
let baseline = { rssBytes: 0, cpuMs: 0, childCpuMs: 0, spawns: 0 };
let rssMaxBytes = 0;
let finished: () => void = () => {};
const done = new Promise<void>((resolve) => {
  finished = resolve;
});

const agent = createAgent({
  config,
  clock: systemClock,
  host: createLinuxHostInfo(nodeFileReader, defaultHostPaths),
  pinger: createSystemPinger(),
  powerIo: createNodePowerIo(),
  scheduler: fastScheduler(
    options.intervalMs,
    options.warmupCycles + options.cycles,
    (run) => {
      if (run === options.warmupCycles) {
        const now = procStats(process.pid);
        baseline = { rssBytes: now.rssBytes, cpuMs: now.cpuMs, childCpuMs: now.childCpuMs, spawns };
        loopDelay.reset();
        loopDelay.enable();
      }
      if (run > options.warmupCycles && run % 25 === 0) {
        rssMaxBytes = Math.max(rssMaxBytes, procStats(process.pid).rssBytes);
      }
    },
    () => finished(),
  ),
  log: createLogger('pantau-agent', 'warn'),
  randomId: () => 'bench',
  random: Math.random,
});

await agent.start();
await done;
loopDelay.disable();
const end = procStats(process.pid);
const stats = agent.stats;
await agent.stop();
const result: RunnerResult = {
  cycles: options.cycles,
  rssAfterWarmupBytes: baseline.rssBytes,
  rssEndBytes: end.rssBytes,
  rssMaxBytes: Math.max(rssMaxBytes, end.rssBytes),
  cpuMsPerCycle: (end.cpuMs - baseline.cpuMs) / options.cycles,
  childCpuMsPerCycle: (end.childCpuMs - baseline.childCpuMs) / options.cycles,
  spawnsPerCycle: (spawns - baseline.spawns) / options.cycles,
  icmpTargetsPerCycle,
  eventLoopMaxBlockMs: loopDelay.max / 1e6,
  eventLoopP99Ms: loopDelay.percentile(99) / 1e6,
  samplesTaken: stats.samplesTaken,
  undelivered: stats.spoolDepth,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
