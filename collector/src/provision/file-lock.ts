import { open, readFile, rm } from 'node:fs/promises';

export interface LockDeps {
  /** Whether a process with this id runs (a lock whose holder died is taken over). */
  readonly alive: (pid: number) => boolean;
  readonly sleep: (ms: number) => Promise<void>;
  readonly nowMs: () => number;
  readonly pid: number;
}

export type Release = () => Promise<void>;

/**
 * An exclusive lock on the broker's files for the time of one change: `<path>` created with O_EXCL,
 * holding the holder's process id. Two `provision` runs at once take turns; a lock left by a
 * process that died is taken over. Resolves to null if another live process holds it past `waitMs`.
 */
export async function acquireLock(path: string, waitMs: number, deps: LockDeps): Promise<Release | null> {
  const deadline = deps.nowMs() + waitMs;
  for (;;) {
    try {
      const file = await open(path, 'wx', 0o600);
      await file.writeFile(`${deps.pid}\n`);
      await file.close();
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
    // An empty file is a holder between its open and its write: wait for it like a live one.
    if (Number.isSafeInteger(holder) && holder > 0 && !deps.alive(holder)) {
      await rm(path, { force: true });
      continue;
    }
    if (deps.nowMs() >= deadline) return null;
    await deps.sleep(50);
  }
}

/** `process.kill(pid, 0)`: true while the process exists (EPERM: it exists, owned by another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
