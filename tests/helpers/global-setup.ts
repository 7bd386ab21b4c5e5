import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { alive, commandLine } from './processes.js';
import { makeSharedTempDir, RUN_TMP_ENV } from './temp-root.js';

/**
 * One temporary folder for the whole run, inside the system's: every test file gets its own folder
 * below it (file-setup.ts), and TMPDIR points there, so everything the tests and the programs they
 * start put in "the" temporary folder lands inside it. The teardown then proves the run left nothing:
 * no folder, and no process started under it, else the run fails naming them.
 */
export default function setup(): () => Promise<void> {
  const systemTmp = tmpdir();
  const root = makeSharedTempDir(systemTmp, 'pantau-tests-');
  process.env[RUN_TMP_ENV] = root;
  process.env.TMPDIR = root;
  return async () => {
    process.env.TMPDIR = systemTmp;
    const folders = readdirSync(root);
    const processes = (await lingering(root)).map((pid) => ({ pid, command: commandLine(pid) }));
    for (const { pid } of processes) killQuietly(pid);
    rmSync(root, { recursive: true, force: true });
    const problems = [
      ...folders.map((name) => `temporary folder left behind: ${root}/${name}`),
      ...processes.map((p) => `process left running (now killed): ${p.pid} ${p.command}`),
    ];
    if (problems.length > 0) {
      // Vitest reports an error thrown here but keeps its exit code: set it, so the run fails.
      process.exitCode = 1;
      throw new Error(`the test run did not clean up:\n${problems.join('\n')}`);
    }
  };
}

/** Processes of this run still there after a grace period: started with its TMPDIR, or on its files. */
async function lingering(root: string): Promise<number[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = runProcesses(root);
    if (found.length === 0 || Date.now() > deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function runProcesses(root: string): number[] {
  const marker = `${RUN_TMP_ENV}=${root}`;
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => pid !== process.pid && alive(pid))
    .filter((pid) => {
      try {
        const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
        return environ.includes(marker) || commandLine(pid).includes(root);
      } catch {
        return false;
      }
    });
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // It ended on its own.
  }
}
