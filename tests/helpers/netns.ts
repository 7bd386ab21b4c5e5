import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Two network namespaces joined by a veth pair, each end shaped by tbf; private /30 inside only. */
export interface LinkedNamespaces {
  readonly nsA: string;
  readonly nsB: string;
  readonly addressA: string;
  readonly addressB: string;
  /** Spawns `node args...` inside a namespace. */
  spawnNode(ns: string, args: readonly string[]): ChildProcess;
  destroy(): Promise<void>;
}

export interface Shaping {
  /** tc rate, e.g. `20mbit`. */
  readonly rate: string;
  /** tc burst, e.g. `64kbit`. */
  readonly burst: string;
}

async function ip(args: readonly string[]): Promise<void> {
  await run('ip', [...args]);
}

/**
 * Creates the namespaces with unique names (other test runs may hold their own), or throws a clear
 * error: this test needs root (CAP_NET_ADMIN) and iproute2, and must fail, not skip, without them.
 */
export async function createLinkedNamespaces(shaping: Shaping): Promise<LinkedNamespaces> {
  const id = randomBytes(3).toString('hex');
  const nsA = `pantau-ns-a-${id}`;
  const nsB = `pantau-ns-b-${id}`;
  // Interface names are at most 15 characters.
  const vethA = `pv${id}a`;
  const vethB = `pv${id}b`;
  // A /30 in 10.250.0.0/16 chosen at random; it exists only inside these two namespaces.
  const subnet = randomBytes(2);
  const base = `10.250.${subnet[0] ?? 0}`;
  const last = ((subnet[1] ?? 0) & 0xfc) % 252;
  const addressA = `${base}.${last + 1}`;
  const addressB = `${base}.${last + 2}`;
  const created: string[] = [];
  const destroy = async () => {
    for (const ns of created.splice(0)) {
      // Deleting a namespace deletes the veth end in it, and with it the pair.
      await ip(['netns', 'delete', ns]).catch(() => {});
    }
  };
  try {
    await ip(['netns', 'add', nsA]);
    created.push(nsA);
    await ip(['netns', 'add', nsB]);
    created.push(nsB);
    await ip(['link', 'add', vethA, 'type', 'veth', 'peer', 'name', vethB]);
    await ip(['link', 'set', vethA, 'netns', nsA]);
    await ip(['link', 'set', vethB, 'netns', nsB]);
    for (const [ns, veth, address] of [
      [nsA, vethA, addressA],
      [nsB, vethB, addressB],
    ] as const) {
      await ip(['-n', ns, 'addr', 'add', `${address}/30`, 'dev', veth]);
      await ip(['-n', ns, 'link', 'set', veth, 'up']);
      await ip(['-n', ns, 'link', 'set', 'lo', 'up']);
      await run('ip', [
        'netns',
        'exec',
        ns,
        'tc',
        'qdisc',
        'add',
        'dev',
        veth,
        'root',
        'tbf',
        'rate',
        shaping.rate,
        'burst',
        shaping.burst,
        'latency',
        '400ms',
      ]);
    }
  } catch (error) {
    await destroy();
    await run('ip', ['link', 'delete', vethA]).catch(() => {});
    const e = error as { stderr?: string; message: string };
    throw new Error(
      `cannot build the test network (two namespaces, a veth pair, tbf): ${e.stderr?.trim() || e.message}. ` +
        'This test needs root (CAP_NET_ADMIN), iproute2 and the tbf qdisc; run the tests as root.',
    );
  }
  return {
    nsA,
    nsB,
    addressA,
    addressB,
    spawnNode(ns, args) {
      return spawn('ip', ['netns', 'exec', ns, process.execPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    },
    destroy,
  };
}

/** Collects a child's stdout until it exits; rejects on a non-zero exit with its stderr. */
export async function outputOf(child: ChildProcess): Promise<string> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`exited with ${code}: ${stderr}`);
  return stdout;
}

/** Resolves with the first stdout line that matches. */
export function lineFrom(child: ChildProcess, pattern: RegExp, timeoutMs = 10_000): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let text = '';
    let stderr = '';
    const timer = setTimeout(
      () => reject(new Error(`no line matching ${pattern} in ${timeoutMs} ms: ${stderr}`)),
      timeoutMs,
    );
    child.stderr?.on('data', (chunk) => {
      stderr += String(chunk);
    });
    child.stdout?.on('data', (chunk) => {
      text += String(chunk);
      const match = text.match(pattern);
      if (match !== null) {
        clearTimeout(timer);
        resolve(match);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before printing ${pattern}: ${stderr}`));
    });
  });
}
