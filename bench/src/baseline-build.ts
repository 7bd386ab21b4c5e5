import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AgentLaunch } from '@pantau/agent/launch';
import type { Scratch } from './scratch.js';

/** The repository this bench was built from. */
const REPOSITORY_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** An older commit checked out and built beside this one, to be measured in the same run. */
export interface BaselineBuild {
  /** The ref as given (`main~3`, a hash). */
  readonly ref: string;
  readonly commit: string;
  readonly subject: string;
  /** The checkout's root; removed (with its git worktree entry) when the scratch is released. */
  readonly root: string;
  /** How that commit's bin starts the agent (its own shebang). */
  readonly launch: AgentLaunch;
}

/**
 * Checks `ref` out into a temporary git worktree, installs its locked dependencies and builds it as
 * `pnpm build` does; niced, so a measurement already running elsewhere is disturbed less. The
 * worktree goes when `scratch` is released, also on an interrupt.
 */
export async function buildBaseline(
  ref: string,
  scratch: Scratch,
  say: (line: string) => void,
): Promise<BaselineBuild> {
  const git = (...args: string[]) => execFileSync('git', ['-C', REPOSITORY_ROOT, ...args], { encoding: 'utf8' }).trim();
  const commit = git('rev-parse', '--verify', `${ref}^{commit}`);
  const subject = git('log', '-1', '--format=%s', commit);
  const root = join(scratch.dir('pantau-bench-baseline-'), 'tree');
  git('worktree', 'add', '--detach', '--quiet', root, commit);
  scratch.undo(() => {
    git('worktree', 'remove', '--force', root);
  });
  say(`baseline ${ref} = ${commit.slice(0, 10)} (${subject}): installing and building in ${root} ...`);
  await run(scratch, root, ['pnpm', 'install', '--frozen-lockfile', '--prefer-offline', '--reporter=silent']);
  await run(scratch, root, ['pnpm', 'exec', 'tsc', '-b']);
  const module = (await import(pathToFileURL(join(root, 'agent/dist/launch.js')).href)) as {
    shippedAgentLaunch(): AgentLaunch;
  };
  return { ref, commit, subject, root, launch: module.shippedAgentLaunch() };
}

async function run(scratch: Scratch, cwd: string, command: readonly string[]): Promise<void> {
  const child = scratch.child(spawn('nice', ['-n', '10', ...command], { cwd, stdio: ['ignore', 'ignore', 'pipe'] }));
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`${command.join(' ')} in ${cwd} exited with ${code}: ${stderr.slice(-2000)}`);
}
