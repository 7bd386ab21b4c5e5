/**
 * `pnpm bench:agent`: the agent's footprint over many cycles at a fast interval, beside collectd
 * doing the same measurements. Prints a table, then one JSON line with every figure.
 *
 *   pnpm bench:agent [--cycles 1000] [--interval-ms 100] [--warmup 100] [--profile-blocks] [--baseline REF]...
 *
 * The agent runs in its own process started exactly as the bin's shebang starts `pantau-agent`
 * (the same environment assignments and Node flags), wired as `pantau-agent run` wires it (openAgent,
 * realAgentIo); only its sample cycle fires faster than the config's whole seconds allow. Start-up
 * (the first `--warmup` cycles: loading and compiling modules, the first connection) is left out of
 * every figure: the targets are about the agent after months of running, and a start-up block
 * happens once. `--profile-blocks` runs V8's
 * sampling profiler in the agent to name the code behind every event-loop block over 10 ms (it
 * costs CPU and memory, so do not read footprint figures from such a run).
 *
 * `--baseline REF` (repeatable) checks an older commit out into a temporary git worktree, builds it,
 * and runs that commit's own runner right after this one's, against the same broker with the same
 * options, so a before/after comparison shares the machine's conditions; the worktree is removed at
 * the end, as is every temporary folder, also when the run is interrupted.
 *
 * In the same run, two floors with the agent's flags: `node` alone, idle; and the chosen libraries
 * alone doing the least an agent does each cycle (library-floor.ts): what no agent built from them
 * can get under on this machine's Node.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type AgentLaunch, shippedAgentLaunch } from '@pantau/agent/launch';
import { startEmbeddedBroker } from '@pantau/collector';
import { createLogger } from '@pantau/shared';
import type { RunnerResult } from './agent-runner.js';
import { type BaselineBuild, buildBaseline } from './baseline-build.js';
import { runCollectd } from './collectd.js';
import type { FloorResult } from './library-floor.js';
import type { LongTaskReport } from './long-tasks.js';
import { procStats } from './proc-stats.js';
import { scratchReleasedOnInterrupt } from './scratch.js';

const MB = 1024 * 1024;
const TARGETS = { rssMaxMb: 55, eventLoopMaxBlockMs: 10 };

const { values } = parseArgs({
  options: {
    cycles: { type: 'string', default: '1000' },
    'interval-ms': { type: 'string', default: '100' },
    warmup: { type: 'string', default: '100' },
    'profile-blocks': { type: 'boolean', default: false },
    baseline: { type: 'string', multiple: true, default: [] },
  },
});
const cycles = Number(values.cycles);
const intervalMs = Number(values['interval-ms']);
const warmupCycles = Number(values.warmup);
const profileBlocks = values['profile-blocks'] === true;

const scratch = scratchReleasedOnInterrupt();
const broker = await startEmbeddedBroker('127.0.0.1', 0, createLogger('bench-broker', 'silent'));
try {
  // Built before anything is measured, so no build runs beside a measurement.
  const baselineBuilds: BaselineBuild[] = [];
  for (const ref of values.baseline) baselineBuilds.push(await buildBaseline(ref, scratch, console.log));
  console.log(
    `bench:agent: ${cycles} cycles every ${intervalMs} ms after ${warmupCycles} warm-up cycles; broker ${broker.url}`,
  );
  const launch = shippedAgentLaunch();
  const runnerOptions = (dir: string) => ({
    brokerUrl: broker.url,
    dir,
    cycles,
    warmupCycles,
    intervalMs,
    profileBlocks,
  });
  console.log(
    `Pantau agent (${launchLine(launch)}): ` +
      'latency (ICMP to 127.0.0.1), usage (lo), clients, power (hwmon files), uptime, speed test configured; ' +
      'publishing QoS 1 ...',
  );
  const agent = await runInLaunch<RunnerResult>(
    benchScript('./agent-runner.js'),
    'PANTAU_BENCH',
    launch,
    runnerOptions(scratch.dir('pantau-bench-agent-')),
  );
  const baselines: BaselineResult[] = [];
  for (const build of baselineBuilds) {
    console.log(`baseline agent ${build.commit.slice(0, 10)} (${launchLine(build.launch)}), its own runner ...`);
    const result = await runInLaunch<RunnerResult>(
      join(build.root, 'bench/dist/agent-runner.js'),
      'PANTAU_BENCH',
      build.launch,
      runnerOptions(scratch.dir('pantau-bench-agent-')),
    );
    baselines.push({
      ref: build.ref,
      commit: build.commit,
      subject: build.subject,
      launch: build.launch,
      agent: result,
    });
  }
  console.log(
    'floor: mqtt.js, pino, ping and zod alone with the same flags: one ping, one checked QoS 1 publish a cycle ...',
  );
  const floor = await runInLaunch<FloorResult>(benchScript('./library-floor.js'), 'PANTAU_FLOOR', launch, {
    brokerUrl: broker.url,
    dir: scratch.dir('pantau-bench-floor-'),
    cycles,
    warmupCycles,
    intervalMs,
  });
  const nodeAloneRssBytes = await idleNodeRss(launch);
  console.log('collectd: ping (127.0.0.1), interface (lo), uptime; mqtt plugin publishing QoS 1 to the broker ...');
  const collectd = await runCollectd(
    scratch.dir('pantau-bench-collectd-'),
    broker.port,
    intervalMs,
    warmupCycles,
    cycles,
    (c) => scratch.child(c),
  );

  // Growth is a fitted slope, not end minus start, which one GC can swing; and growth still going
  // on: the slope over the second half (the old generation fills up to its GC limit over the first
  // few hundred cycles), projected over the whole run.
  const rssGrowthMb = (agent.rssSlopeSecondHalfBytesPer1000Cycles / MB) * (cycles / 1000);
  const rows: [string, string, string][] = [
    ['RSS after warm-up (MB)', mb(agent.rssAfterWarmupBytes), mb(collectd.rssAfterWarmupBytes)],
    ['RSS at end (MB)', mb(agent.rssEndBytes), mb(collectd.rssEndBytes)],
    [
      'RSS growth, end - start (MB)',
      ((agent.rssEndBytes - agent.rssAfterWarmupBytes) / MB).toFixed(1),
      ((collectd.rssEndBytes - collectd.rssAfterWarmupBytes) / MB).toFixed(1),
    ],
    ['RSS slope (MB/1000 cycles)', (agent.rssSlopeBytesPer1000Cycles / MB).toFixed(2), 'n/a'],
    ['  over the 2nd half only', (agent.rssSlopeSecondHalfBytesPer1000Cycles / MB).toFixed(2), 'n/a'],
    ['RSS max (MB)', mb(agent.rssMaxBytes), 'n/a'],
    ['CPU per cycle, own (ms)', agent.cpuMsPerCycle.toFixed(2), collectd.cpuMsPerCycle.toFixed(2)],
    ['CPU per cycle, children (ms)', agent.childCpuMsPerCycle.toFixed(2), collectd.childCpuMsPerCycle.toFixed(2)],
    ['processes spawned per cycle', agent.spawnsPerCycle.toFixed(2), `${collectd.childrenSeen} seen in all`],
    ['longest event-loop block (ms)', agent.eventLoopMaxBlockMs.toFixed(1), 'n/a (threads)'],
    ['worst 10 ms tick, late by (ms)', agent.loopBlocks.worst.lateMs.toFixed(1), 'n/a'],
    ['  on a CPU (ms)', agent.loopBlocks.worst.onCpuMs.toFixed(1), 'n/a'],
    ['  waiting for a CPU (ms)', agent.loopBlocks.worst.waitingForCpuMs.toFixed(1), 'n/a'],
    ['  asleep in a sync call (ms)', agent.loopBlocks.worst.blockedMs.toFixed(1), 'n/a'],
    ['longest block less CPU wait (ms)', agent.loopBlocks.worstOwnMs.toFixed(1), 'n/a'],
    ['most CPU between two ticks (ms)', agent.loopBlocks.maxOnCpuMs.toFixed(1), 'n/a'],
    ['event-loop delay p99 (ms)', agent.eventLoopP99Ms.toFixed(1), 'n/a'],
    ['threads', String(agent.threads), String(collectd.threads)],
  ];
  console.log('');
  console.log(`${'figure'.padEnd(32)}${'pantau-agent'.padStart(14)}${'collectd'.padStart(20)}`);
  for (const [name, a, c] of rows) console.log(`${name.padEnd(32)}${a.padStart(14)}${c.padStart(20)}`);
  const verdicts = {
    rssWithinTarget: agent.rssMaxBytes / MB <= TARGETS.rssMaxMb,
    noRssGrowth: rssGrowthMb <= 1,
    spawnsWithinPings: agent.spawnsPerCycle <= agent.icmpTargetsPerCycle,
    eventLoopWithinTarget: agent.eventLoopMaxBlockMs <= TARGETS.eventLoopMaxBlockMs,
    ownEventLoopBlockWithinTarget: agent.loopBlocks.worstOwnMs <= TARGETS.eventLoopMaxBlockMs,
    cpuWorkWithinTarget: agent.loopBlocks.maxOnCpuMs <= TARGETS.eventLoopMaxBlockMs,
  };
  console.log('');
  console.log(
    `targets: RSS <= ${TARGETS.rssMaxMb} MB ${ok(verdicts.rssWithinTarget)}, ` +
      `no growth (2nd-half slope x cycles <= 1 MB) ${ok(verdicts.noRssGrowth)}, ` +
      `spawns <= ${agent.icmpTargetsPerCycle} ping/cycle ${ok(verdicts.spawnsWithinPings)}, ` +
      `event-loop block <= ${TARGETS.eventLoopMaxBlockMs} ms ${ok(verdicts.eventLoopWithinTarget)} ` +
      `(less time waiting for a CPU: ${ok(verdicts.ownEventLoopBlockWithinTarget)}; ` +
      `CPU work between two ticks: ${ok(verdicts.cpuWorkWithinTarget)})`,
  );
  const cpuRatio =
    (agent.cpuMsPerCycle + agent.childCpuMsPerCycle) /
    Math.max(0.001, collectd.cpuMsPerCycle + collectd.childCpuMsPerCycle);
  console.log(
    `ratios agent/collectd: RSS ${(agent.rssEndBytes / collectd.rssEndBytes).toFixed(1)}x, ` +
      `CPU incl. children ${cpuRatio.toFixed(1)}x`,
  );
  console.log(`probes in the last sample: ${agent.probesInSample.join(', ')}`);
  console.log(
    `floor on this Node, same flags: node alone ${mb(nodeAloneRssBytes)} MB RSS; ` +
      `mqtt.js + pino + ping + zod doing one ping and one publish a cycle ${mb(floor.rssAfterWarmupBytes)} MB ` +
      `after warm-up, ${mb(floor.rssMaxBytes)} MB max, ${floor.cpuMsPerCycle.toFixed(2)} ms CPU a cycle; ` +
      `agent/floor RSS max ${(agent.rssMaxBytes / floor.rssMaxBytes).toFixed(2)}x; ` +
      `floor within ${TARGETS.rssMaxMb} MB: ${floor.rssMaxBytes / MB <= TARGETS.rssMaxMb ? 'yes' : 'no'}`,
  );
  console.log(
    `processes started after warm-up, by command: ${spawnList(agent.spawnsByCommand)} ` +
      `(the host inventory's, ${agent.inventorySpawns}, are a daily job's, not a cycle's)`,
  );
  if (baselines.length > 0) printBaselines(agent, floor, baselines);
  if (agent.longTasks !== undefined) printLongTasks(agent.longTasks);
  console.log(
    JSON.stringify({
      bench: 'agent',
      cycles,
      intervalMs,
      warmupCycles,
      launch,
      agent,
      collectd,
      floor,
      nodeAloneRssBytes,
      baselines: baselines.map((b) => ({ ...b, ...baselineRatios(agent, floor, b.agent) })),
      targets: TARGETS,
      verdicts,
    }),
  );
} finally {
  await broker.close();
  await scratch.release();
}

interface BaselineResult {
  readonly ref: string;
  readonly commit: string;
  readonly subject: string;
  readonly launch: AgentLaunch;
  /** That commit's own runner's figures (older runners do not count spawns by command). */
  readonly agent: Omit<RunnerResult, 'spawnsByCommand' | 'inventorySpawns'> &
    Partial<Pick<RunnerResult, 'spawnsByCommand' | 'inventorySpawns'>>;
}

/** This agent's figures over the baseline's, and each against the same floor, measured in this run. */
function baselineRatios(agent: RunnerResult, floor: FloorResult, baseline: BaselineResult['agent']) {
  const round = (x: number) => Number(x.toFixed(3));
  return {
    rssMaxRatio: round(agent.rssMaxBytes / baseline.rssMaxBytes),
    rssEndRatio: round(agent.rssEndBytes / baseline.rssEndBytes),
    cpuPerCycleRatio: round(agent.cpuMsPerCycle / baseline.cpuMsPerCycle),
    spawnsPerCycleRatio: round(agent.spawnsPerCycle / baseline.spawnsPerCycle),
    baselineRssMaxToFloor: round(baseline.rssMaxBytes / floor.rssMaxBytes),
    agentRssMaxToFloor: round(agent.rssMaxBytes / floor.rssMaxBytes),
  };
}

function printBaselines(agent: RunnerResult, floor: FloorResult, baselines: readonly BaselineResult[]): void {
  console.log('');
  console.log('same run, this build against older commits (each run by its own runner, the same broker and options):');
  const head = ['figure'.padEnd(34), 'this build'.padStart(12)];
  for (const b of baselines) head.push(b.commit.slice(0, 10).padStart(12), 'ratio'.padStart(8));
  console.log(head.join(''));
  const rows: [string, (r: BaselineResult['agent']) => number, number][] = [
    ['RSS after warm-up (MB)', (r) => r.rssAfterWarmupBytes / MB, 1],
    ['RSS at end (MB)', (r) => r.rssEndBytes / MB, 1],
    ['RSS max (MB)', (r) => r.rssMaxBytes / MB, 1],
    ['RSS max / libraries floor', (r) => r.rssMaxBytes / floor.rssMaxBytes, 2],
    ['CPU per cycle, own (ms)', (r) => r.cpuMsPerCycle, 2],
    ['CPU per cycle, children (ms)', (r) => r.childCpuMsPerCycle, 2],
    ['processes spawned per cycle', (r) => r.spawnsPerCycle, 3],
    ['longest event-loop block (ms)', (r) => r.eventLoopMaxBlockMs, 1],
  ];
  for (const [name, figure, digits] of rows) {
    const line = [name.padEnd(34), figure(agent).toFixed(digits).padStart(12)];
    for (const b of baselines) {
      const base = figure(b.agent);
      line.push(base.toFixed(digits).padStart(12), `${(figure(agent) / base).toFixed(2)}x`.padStart(8));
    }
    console.log(line.join(''));
  }
  for (const b of baselines) {
    const spawnsByCommand = b.agent.spawnsByCommand;
    console.log(`  ${b.commit.slice(0, 10)} ${b.subject}`);
    if (spawnsByCommand !== undefined) console.log(`    processes by command: ${spawnList(spawnsByCommand)}`);
  }
}

function spawnList(byCommand: Readonly<Record<string, number>>): string {
  const entries = Object.entries(byCommand).sort(([, a], [, b]) => b - a);
  return entries.length === 0 ? 'none' : entries.map(([command, n]) => `${command} ${n}`).join(', ');
}

/** A program of this bench package, by its path relative to this file. */
function benchScript(relative: string): string {
  return fileURLToPath(new URL(relative, import.meta.url));
}

/** Runs a bench program in its own process, started with the agent's launch flags and environment. */
async function runInLaunch<Result>(
  path: string,
  optionsVariable: string,
  launch: AgentLaunch,
  options: object,
): Promise<Result> {
  const child = scratch.child(
    spawn(process.execPath, [...launch.flags, path], {
      env: { ...process.env, ...launch.env, [optionsVariable]: JSON.stringify(options) },
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
  let stdout = '';
  child.stdout.on('data', (chunk) => {
    stdout += String(chunk);
  });
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`${path} exited with ${code}`);
  const last = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as Result;
}

/** RSS of `node` with the agent's launch flags doing nothing, a second after it started. */
async function idleNodeRss(launch: AgentLaunch): Promise<number> {
  const child = scratch.child(
    spawn(process.execPath, [...launch.flags, '-e', 'setTimeout(() => {}, 60_000)'], {
      env: { ...process.env, ...launch.env },
      stdio: 'ignore',
    }),
  );
  try {
    await sleep(1000);
    if (child.pid === undefined || child.exitCode !== null) throw new Error('idle node did not start');
    return procStats(child.pid).rssBytes;
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

function printLongTasks(report: LongTaskReport): void {
  console.log('');
  console.log(
    `event-loop blocks over ${report.thresholdMs} ms (V8 sampling profiler): ${report.tasks.length}; ` +
      `GC pauses over it: ${report.gcOverThreshold.length} (longest GC ${report.gcMaxMs.toFixed(1)} ms)`,
  );
  for (const task of report.tasks.slice(0, 8)) {
    console.log(`  ${task.ms.toFixed(1)} ms: ${task.top.map((t) => `${t.frame} ${t.ms} ms`).join('; ')}`);
    console.log(`    stack: ${task.stack.join(' < ')}`);
  }
}

/** How the bin starts: its environment assignments, `node`, its flags. */
function launchLine(launch: AgentLaunch): string {
  return [...Object.entries(launch.env).map(([k, v]) => `${k}=${v}`), 'node', ...launch.flags].join(' ');
}

function mb(bytes: number): string {
  return (bytes / MB).toFixed(1);
}

function ok(pass: boolean): string {
  return pass ? 'PASS' : 'FAIL';
}
