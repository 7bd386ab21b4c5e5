/**
 * `pnpm bench:agent`: the agent's footprint over many cycles at a fast interval, beside collectd
 * doing the same measurements. Prints a table, then one JSON line with every figure.
 *
 *   pnpm bench:agent [--cycles 1000] [--interval-ms 100] [--warmup 100]
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startEmbeddedBroker } from '@pantau/collector';
import { createLogger } from '@pantau/shared';
import type { RunnerResult } from './agent-runner.js';
import { runCollectd } from './collectd.js';

const MB = 1024 * 1024;
const TARGETS = { rssMaxMb: 55, eventLoopMaxBlockMs: 10 };

const { values } = parseArgs({
  options: {
    cycles: { type: 'string', default: '1000' },
    'interval-ms': { type: 'string', default: '100' },
    warmup: { type: 'string', default: '100' },
  },
});
const cycles = Number(values.cycles);
const intervalMs = Number(values['interval-ms']);
const warmupCycles = Number(values.warmup);

const broker = await startEmbeddedBroker('127.0.0.1', 0, createLogger('bench-broker', 'silent'));
const dir = mkdtempSync(join(tmpdir(), 'pantau-bench-'));
try {
  console.log(
    `bench:agent: ${cycles} cycles every ${intervalMs} ms after ${warmupCycles} warm-up cycles; broker ${broker.url}`,
  );
  console.log(
    `Pantau agent (node ${shippedNodeFlags().join(' ')}): latency (ICMP to 127.0.0.1), uptime; publishing QoS 1 ...`,
  );
  const agent = await runAgent(broker.url);
  console.log('collectd: ping (127.0.0.1), interface (lo), uptime; mqtt plugin publishing QoS 1 to the broker ...');
  const collectd = await runCollectd(dir, broker.port, intervalMs, warmupCycles, cycles);

  const rssGrowthMb = (agent.rssEndBytes - agent.rssAfterWarmupBytes) / MB;
  const rows: [string, string, string][] = [
    ['RSS after warm-up (MB)', mb(agent.rssAfterWarmupBytes), mb(collectd.rssAfterWarmupBytes)],
    ['RSS at end (MB)', mb(agent.rssEndBytes), mb(collectd.rssEndBytes)],
    [
      'RSS growth (MB)',
      rssGrowthMb.toFixed(1),
      ((collectd.rssEndBytes - collectd.rssAfterWarmupBytes) / MB).toFixed(1),
    ],
    ['CPU per cycle, own (ms)', agent.cpuMsPerCycle.toFixed(2), collectd.cpuMsPerCycle.toFixed(2)],
    ['CPU per cycle, children (ms)', agent.childCpuMsPerCycle.toFixed(2), collectd.childCpuMsPerCycle.toFixed(2)],
    ['processes spawned per cycle', agent.spawnsPerCycle.toFixed(2), `${collectd.childrenSeen} seen in all`],
    ['longest event-loop block (ms)', agent.eventLoopMaxBlockMs.toFixed(1), 'n/a (threads)'],
  ];
  console.log('');
  console.log(`${'figure'.padEnd(32)}${'pantau-agent'.padStart(14)}${'collectd'.padStart(20)}`);
  for (const [name, a, c] of rows) console.log(`${name.padEnd(32)}${a.padStart(14)}${c.padStart(20)}`);
  const verdicts = {
    rssWithinTarget: agent.rssMaxBytes / MB <= TARGETS.rssMaxMb,
    noRssGrowth: rssGrowthMb <= 2,
    spawnsWithinPings: agent.spawnsPerCycle <= agent.icmpTargetsPerCycle,
    eventLoopWithinTarget: agent.eventLoopMaxBlockMs <= TARGETS.eventLoopMaxBlockMs,
  };
  console.log('');
  console.log(
    `targets: RSS <= ${TARGETS.rssMaxMb} MB ${ok(verdicts.rssWithinTarget)}, no growth (<= 2 MB) ${ok(verdicts.noRssGrowth)}, ` +
      `spawns <= ${agent.icmpTargetsPerCycle} ping/cycle ${ok(verdicts.spawnsWithinPings)}, ` +
      `event-loop block <= ${TARGETS.eventLoopMaxBlockMs} ms ${ok(verdicts.eventLoopWithinTarget)}`,
  );
  console.log(
    `ratios agent/collectd: RSS ${(agent.rssEndBytes / collectd.rssEndBytes).toFixed(1)}x, ` +
      `CPU incl. children ${((agent.cpuMsPerCycle + agent.childCpuMsPerCycle) / Math.max(0.001, collectd.cpuMsPerCycle + collectd.childCpuMsPerCycle)).toFixed(1)}x`,
  );
  console.log(JSON.stringify({ bench: 'agent', cycles, intervalMs, agent, collectd, targets: TARGETS, verdicts }));
} finally {
  await broker.close();
}

async function runAgent(brokerUrl: string): Promise<RunnerResult> {
  const runner = fileURLToPath(new URL('./agent-runner.js', import.meta.url));
  const child = spawn(process.execPath, [...shippedNodeFlags(), runner], {
    env: { ...process.env, PANTAU_BENCH: JSON.stringify({ brokerUrl, cycles, warmupCycles, intervalMs }) },
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

/** The Node flags in the agent bin's shebang, so the bench runs the agent as it ships. */
function shippedNodeFlags(): string[] {
  const require = createRequire(import.meta.url);
  const main = join(dirname(require.resolve('@pantau/agent/package.json')), 'dist', 'main.js');
  const shebang = readFileSync(main, 'utf8').split('\n', 1)[0] ?? '';
  return shebang.split(' ').filter((word) => word.startsWith('--'));
}

function mb(bytes: number): string {
  return (bytes / MB).toFixed(1);
}

function ok(pass: boolean): string {
  return pass ? 'PASS' : 'FAIL';
}
