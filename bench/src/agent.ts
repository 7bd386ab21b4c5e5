/**
 * `pnpm bench:agent`: the agent's footprint over many cycles at a fast interval, beside collectd
 * doing the same measurements. Prints a table, then one JSON line with every figure.
 *
 *   pnpm bench:agent [--cycles 1000] [--interval-ms 100] [--warmup 100] [--profile-blocks]
 *
 * The agent runs in its own process started exactly as the bin's shebang starts `pantau-agent`
 * (the same environment assignments and Node flags), wired as `pantau-agent run` wires it; only the
 * scheduler is faster than cron. Start-up (the first `--warmup` cycles: loading and compiling
 * modules, the first connection) is left out of every figure: the targets are about the agent
 * after months of running, and a start-up block happens once. `--profile-blocks` runs V8's
 * sampling profiler in the agent to name the code behind every event-loop block over 10 ms (it
 * costs CPU and memory, so do not read footprint figures from such a run).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type AgentLaunch, shippedAgentLaunch } from '@pantau/agent/launch';
import { startEmbeddedBroker } from '@pantau/collector';
import { createLogger } from '@pantau/shared';
import type { RunnerResult } from './agent-runner.js';
import { runCollectd } from './collectd.js';
import type { LongTaskReport } from './long-tasks.js';

const MB = 1024 * 1024;
const TARGETS = { rssMaxMb: 55, eventLoopMaxBlockMs: 10 };

const { values } = parseArgs({
  options: {
    cycles: { type: 'string', default: '1000' },
    'interval-ms': { type: 'string', default: '100' },
    warmup: { type: 'string', default: '100' },
    'profile-blocks': { type: 'boolean', default: false },
  },
});
const cycles = Number(values.cycles);
const intervalMs = Number(values['interval-ms']);
const warmupCycles = Number(values.warmup);
const profileBlocks = values['profile-blocks'] === true;

const broker = await startEmbeddedBroker('127.0.0.1', 0, createLogger('bench-broker', 'silent'));
const dir = mkdtempSync(join(tmpdir(), 'pantau-bench-'));
try {
  console.log(
    `bench:agent: ${cycles} cycles every ${intervalMs} ms after ${warmupCycles} warm-up cycles; broker ${broker.url}`,
  );
  const launch = shippedAgentLaunch();
  console.log(
    `Pantau agent (${[...Object.entries(launch.env).map(([k, v]) => `${k}=${v}`), 'node', ...launch.flags].join(' ')}): ` +
      'latency (ICMP to 127.0.0.1), usage (lo), clients, power (hwmon files), uptime, speed test configured; ' +
      'publishing QoS 1 ...',
  );
  const agent = await runAgent(broker.url, launch);
  console.log('collectd: ping (127.0.0.1), interface (lo), uptime; mqtt plugin publishing QoS 1 to the broker ...');
  const collectd = await runCollectd(dir, broker.port, intervalMs, warmupCycles, cycles);

  // Growth is a fitted slope, not end minus start, which one GC can swing; and growth still going on: the slope over the second half (the old generation fills up to its GC
  // limit over the first few hundred cycles), projected over the whole run.
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
    `targets: RSS <= ${TARGETS.rssMaxMb} MB ${ok(verdicts.rssWithinTarget)}, no growth (2nd-half slope x cycles <= 1 MB) ${ok(verdicts.noRssGrowth)}, ` +
      `spawns <= ${agent.icmpTargetsPerCycle} ping/cycle ${ok(verdicts.spawnsWithinPings)}, ` +
      `event-loop block <= ${TARGETS.eventLoopMaxBlockMs} ms ${ok(verdicts.eventLoopWithinTarget)} ` +
      `(less time waiting for a CPU: ${ok(verdicts.ownEventLoopBlockWithinTarget)}; ` +
      `CPU work between two ticks: ${ok(verdicts.cpuWorkWithinTarget)})`,
  );
  console.log(
    `ratios agent/collectd: RSS ${(agent.rssEndBytes / collectd.rssEndBytes).toFixed(1)}x, ` +
      `CPU incl. children ${((agent.cpuMsPerCycle + agent.childCpuMsPerCycle) / Math.max(0.001, collectd.cpuMsPerCycle + collectd.childCpuMsPerCycle)).toFixed(1)}x`,
  );
  console.log(`probes in the last sample: ${agent.probesInSample.join(', ')}`);
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
      targets: TARGETS,
      verdicts,
    }),
  );
} finally {
  await broker.close();
}

async function runAgent(brokerUrl: string, launch: AgentLaunch): Promise<RunnerResult> {
  const runner = fileURLToPath(new URL('./agent-runner.js', import.meta.url));
  const options = { brokerUrl, dir, cycles, warmupCycles, intervalMs, profileBlocks };
  const child = spawn(process.execPath, [...launch.flags, runner], {
    env: { ...process.env, ...launch.env, PANTAU_BENCH: JSON.stringify(options) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk) => {
    stdout += String(chunk);
  });
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`the agent runner exited with ${code}`);
  const last = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as RunnerResult;
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

function mb(bytes: number): string {
  return (bytes / MB).toFixed(1);
}

function ok(pass: boolean): string {
  return pass ? 'PASS' : 'FAIL';
}
