import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { alive } from '../helpers/processes.js';
import { waitFor } from '../helpers/wait.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'pantau-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Demo {
  readonly pnpm: ChildProcess;
  output(): string;
  /** The demo's own pid, its agent's and its fleet simulator's, from its first lines. */
  pids(): { demo: number; agent: number; fleet: number };
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running: Demo[] = [];
afterEach(async () => {
  // A failed test must not leave its demo behind.
  for (const demo of running.splice(0)) {
    if (demo.pnpm.exitCode === null && demo.pnpm.signalCode === null) demo.pnpm.kill('SIGKILL');
    for (const pid of Object.values(demo.pids())) if (alive(pid)) process.kill(pid, 'SIGKILL');
  }
});

/** `pnpm demo` as a user types it at the repository root, in its own process group as a terminal's job. */
function pnpmDemo(...args: string[]): Demo {
  const pnpm = spawn('pnpm', ['demo', '--dir', dir, '--interval-sec', '1', ...args], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  pnpm.stdout?.on('data', (chunk) => {
    text += String(chunk);
  });
  pnpm.stderr?.on('data', (chunk) => {
    text += String(chunk);
  });
  const exit = once(pnpm, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  const demo: Demo = {
    pnpm,
    output: () => text,
    pids() {
      const match = /Pantau demo \(pid (\d+)\).*\(pid (\d+)\)/.exec(text);
      const fleet = /simulated sites in .*\(pid (\d+)\)/.exec(text);
      return { demo: Number(match?.[1] ?? 0), agent: Number(match?.[2] ?? 0), fleet: Number(fleet?.[1] ?? 0) };
    },
    exit,
  };
  running.push(demo);
  return demo;
}

const firstSample = (demo: Demo) =>
  waitFor('the first stored sample', () => demo.output().includes('Stored sample #0'), 60_000, 100);

/** Neither the demo nor its agent nor its fleet simulator is left running, and each logged a clean stop. */
async function stoppedCleanly(demo: Demo): Promise<void> {
  const { demo: demoPid, agent: agentPid, fleet: fleetPid } = demo.pids();
  expect(demoPid).toBeGreaterThan(0);
  expect(agentPid).toBeGreaterThan(0);
  expect(fleetPid).toBeGreaterThan(0);
  await waitFor(
    'the demo, its agent and its fleet to end',
    () => !alive(demoPid) && !alive(agentPid) && !alive(fleetPid),
    45_000,
    100,
  );
  expect(readFileSync(join(dir, 'simulator.log'), 'utf8')).toContain('Stopped.');
  const logged = (file: string) => readFileSync(join(dir, file), 'utf8').includes('"event":"stopped"');
  expect(logged('agent.log')).toBe(true);
  expect(logged('collector.log')).toBe(true);
}

describe('pnpm demo, stopped the ways a user stops it', { timeout: 120_000 }, () => {
  it('Ctrl-C (SIGINT to the whole job): a clean stop, exit 0, no ELIFECYCLE', async () => {
    const demo = pnpmDemo();
    await firstSample(demo);
    process.kill(-(demo.pnpm.pid ?? 0), 'SIGINT');
    expect(await demo.exit).toEqual({ code: 0, signal: null });
    await stoppedCleanly(demo);
    expect(demo.output()).toContain('Stopped.');
    expect(demo.output()).not.toContain('ELIFECYCLE');
  });

  it('the terminal closes (SIGHUP to the job): nothing is left running', async () => {
    const demo = pnpmDemo();
    await firstSample(demo);
    process.kill(-(demo.pnpm.pid ?? 0), 'SIGHUP');
    await demo.exit;
    await stoppedCleanly(demo);
  });

  it('pnpm killed outright (SIGKILL): the demo sees it and stops its agent', async () => {
    const demo = pnpmDemo();
    await firstSample(demo);
    demo.pnpm.kill('SIGKILL');
    await demo.exit;
    await stoppedCleanly(demo);
  });
});

describe('pnpm demo, followed as it says and run again', { timeout: 120_000 }, () => {
  it('the commands it prints work as printed, from the repository root; SIGTERM to pnpm alone stops it all', async () => {
    const demo = pnpmDemo();
    await firstSample(demo);
    const line = (label: string) => {
      const found = demo
        .output()
        .split('\n')
        .find((l) => l.trimStart().startsWith(label));
      return found?.trimStart().slice(label.length).trim().split('   (')[0] ?? '';
    };
    const sites = line('stored samples');
    expect(sites).toBe(`pnpm exec pantau-collector sites --db ${dir}/pantau.sqlite`);
    const listed = await shell(sites);
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/^demo-01 /m);
    // The simulated fleet says online as its sites connect, before their first delivery.
    await waitFor(
      'simulated sites in the list',
      async () => /^(kutim|paser)-[a-z-]+-\d\d /m.test((await shell(sites)).out),
      60_000,
      1000,
    );
    // The dashboard, and the fleet's registry imported: its sites by name in the overview.
    const dashboard = line('dashboard, API');
    expect(dashboard).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect((await fetch(dashboard)).headers.get('content-type')).toMatch(/^text\/html/);
    await waitFor(
      'registered fleet sites in the overview',
      async () => {
        const overview = (await (await fetch(`${dashboard}api/overview`)).json()) as {
          sites: { registered: boolean; name: string | null }[];
        };
        return overview.sites.some((s) => s.registered && s.name !== null);
      },
      90_000,
      1000,
    );
    // mosquitto_sub runs until stopped: its first message is enough.
    const sub = spawn('sh', ['-c', `exec ${line('raw messages')}`], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] });
    let got = '';
    sub.stdout?.on('data', (chunk) => {
      got += String(chunk);
    });
    try {
      await waitFor('a message on mosquitto_sub', () => got.includes('pantau/v1/site/demo-01/'), 30_000, 100);
    } finally {
      sub.kill('SIGTERM');
    }
    for (const log of line('logs').split(', ')) expect(existsSync(log)).toBe(true);
    demo.pnpm.kill('SIGTERM');
    expect(await demo.exit).toEqual({ code: 0, signal: null });
    await stoppedCleanly(demo);
  });
  it('a second run starts fresh, and --samples 2 takes two samples of its own', async () => {
    const first = pnpmDemo('--samples', '3');
    expect((await first.exit).code).toBe(0);
    const second = pnpmDemo('--samples', '2');
    expect((await second.exit).code).toBe(0);
    const out = second.output();
    expect(out).toContain(`Starting fresh: removed the previous demo's database, agent data and logs in ${dir}.`);
    // Each line says the newest stored sample and how many there are: a fresh agent numbers from 0,
    // so the newest is one less than the count (two samples may arrive between two looks).
    const stored = [...out.matchAll(/Stored sample #(\d+) \((\d+) so far\)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(stored.length).toBeGreaterThan(0);
    for (const [seq, count] of stored) expect(seq).toBe((count ?? 0) - 1);
    // The first run stored at least 3: a run that resumed it would start its count above that.
    expect(stored[0]?.[1]).toBeLessThanOrEqual(2);
    expect(stored.at(-1)?.[1]).toBeGreaterThanOrEqual(2);
    expect(out).toMatch(/noc [\d.]+ ms, 0 %/);
  });
});

async function shell(command: string): Promise<{ code: number | null; out: string }> {
  const child = spawn('sh', ['-c', command], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (chunk) => {
    out += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    out += String(chunk);
  });
  const [code] = await once(child, 'exit');
  return { code: code as number | null, out };
}
