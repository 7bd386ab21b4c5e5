import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { alive, descendants } from '../helpers/processes.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import { waitFor } from '../helpers/wait.js';

const BENCH_AGENT = fileURLToPath(new URL('../../bench/dist/agent.js', import.meta.url));
const dirs = tempDirs();
afterAll(() => dirs.removeAll());

/** bench:agent, short, with a temporary folder of its own to look into afterwards. */
function startBench(cycles: number) {
  const tmp = dirs.make('bench-agent-tmp');
  const child = spawn(process.execPath, [BENCH_AGENT, '--cycles', String(cycles), '--warmup', '5'], {
    env: { ...process.env, TMPDIR: tmp },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += String(chunk);
  });
  child.stderr.on('data', (chunk) => {
    output += String(chunk);
  });
  return { tmp, child, output: () => output };
}

describe('bench:agent cleans up after itself', () => {
  it('leaves no temporary folder behind after a clean run', async () => {
    const bench = startBench(10);
    const [code] = await once(bench.child, 'exit');
    expect(code, bench.output()).toBe(0);
    expect(bench.output()).toContain('"bench":"agent"');
    expect(readdirSync(bench.tmp)).toEqual([]);
  });

  it('stops its processes and removes its folders when interrupted mid-run', async () => {
    const bench = startBench(100_000);
    const pid = bench.child.pid ?? 0;
    // The agent's runner is running and has its data folder.
    await waitFor('the agent runner', () => descendants(pid).length > 0 && readdirSync(bench.tmp).length > 0);
    const started = descendants(pid);
    const exited = once(bench.child, 'exit');
    bench.child.kill('SIGINT');
    const [code] = await exited;
    expect(code, bench.output()).toBe(130);
    expect(started.filter(alive)).toEqual([]);
    expect(readdirSync(bench.tmp)).toEqual([]);
  });
});
