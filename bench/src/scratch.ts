import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** How long an interrupted bench waits for its children to end before removing their folders. */
const CHILD_EXIT_WAIT_MS = 5000;

/**
 * What a bench makes and must not leave behind: its temporary folders, the processes it starts, and
 * any other undo step (a git worktree). `release()` undoes all of it, newest first; an interrupt
 * (SIGINT, SIGTERM) does the same and then exits as the signal would have ended the process.
 */
export interface Scratch {
  /** A new folder in the system's temporary folder, removed by `release()`. */
  dir(prefix: string): string;
  /** Stopped (SIGTERM) by `release()` if it still runs. */
  child<T extends ChildProcess>(child: T): T;
  /** Run by `release()`, after the children have ended. */
  undo(step: () => void): void;
  release(): Promise<void>;
}

export function scratchReleasedOnInterrupt(): Scratch {
  const dirs: string[] = [];
  const children = new Set<ChildProcess>();
  const steps: (() => void)[] = [];
  let releasing: Promise<void> | null = null;

  async function releaseAll(): Promise<void> {
    const running = [...children].filter((c) => c.exitCode === null && c.signalCode === null);
    for (const child of running) child.kill('SIGTERM');
    await Promise.race([Promise.all(running.map((c) => once(c, 'exit'))), sleep(CHILD_EXIT_WAIT_MS)]);
    for (const step of steps.splice(0).reverse()) {
      try {
        step();
      } catch (error) {
        process.stderr.write(`bench: cleanup step failed: ${(error as Error).message}\n`);
      }
    }
    for (const dir of dirs.splice(0).reverse()) rmSync(dir, { recursive: true, force: true });
  }

  const release = (): Promise<void> => {
    releasing ??= releaseAll().finally(() => {
      releasing = null;
      for (const [signal, handler] of handlers) process.off(signal, handler);
    });
    return releasing;
  };

  const handlers = (['SIGINT', 'SIGTERM'] as const).map((signal) => {
    const handler = () => {
      process.stderr.write(`bench: ${signal}: stopping its processes and removing its temporary files\n`);
      void release().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });

  return {
    dir(prefix) {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      dirs.push(dir);
      return dir;
    },
    child(child) {
      children.add(child);
      child.once('exit', () => children.delete(child));
      return child;
    },
    undo(step) {
      steps.push(step);
    },
    release,
  };
}
