import { rmSync } from 'node:fs';
import { afterAll } from 'vitest';
import { alive, commandLine, descendants } from './processes.js';
import { makeSharedTempDir, RUN_TMP_ENV } from './temp-root.js';

/**
 * Each test file's own temporary folder, and its check that it stops what it starts. Imported before
 * the file, so a folder the file makes at its top level lands here too; removed after the file's own
 * afterAll hooks. A process the file started and left running fails the file, naming it.
 */
const root = process.env[RUN_TMP_ENV];
if (root === undefined) throw new Error(`run the tests with tests/vitest.config.ts (it sets ${RUN_TMP_ENV})`);
const dir = makeSharedTempDir(root, 'file-');
process.env.TMPDIR = dir;

afterAll(async () => {
  const left = await lingering();
  for (const pid of left.map((p) => p.pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // It ended on its own.
    }
  }
  rmSync(dir, { recursive: true, force: true });
  process.env.TMPDIR = root;
  if (left.length > 0) {
    const list = left.map((p) => `${p.pid} ${p.command}`).join('\n');
    throw new Error(`this test file left processes running (now killed):\n${list}`);
  }
});

/** This worker's child processes still running after a grace period for those already stopping. */
async function lingering(): Promise<{ pid: number; command: string }[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const pids = descendants(process.pid).filter(alive);
    if (pids.length === 0 || Date.now() > deadline) return pids.map((pid) => ({ pid, command: commandLine(pid) }));
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
