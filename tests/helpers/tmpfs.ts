import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from './wait.js';

/**
 * A real tmpfs of a few hundred KB, mounted in a mount namespace of its own (`unshare -m`, as
 * root), so nothing outside the test sees it and it goes away with the process that holds it.
 * The test reaches it through that process's root (`/proc/<pid>/root/...`).
 */
export interface Tmpfs {
  /** The mounted folder, as this process reaches it. */
  readonly path: string;
  /** Writes a filler file until the file system is full. */
  fill(): void;
  /** Removes the filler. */
  free(): void;
  /** Remounts read-only (no file may be open for writing) or read-write. */
  remount(mode: 'ro' | 'rw'): Promise<void>;
  stop(): Promise<void>;
}

export async function startTmpfs(sizeKb: number): Promise<Tmpfs> {
  const mountPoint = mkdtempSync(join(tmpdir(), 'pantau-tmpfs-'));
  const holder: ChildProcess = spawn(
    'unshare',
    [
      '--mount',
      '--propagation',
      'private',
      'sh',
      '-c',
      'mount -t tmpfs -o "size=$1k" tmpfs "$2" && echo mounted && exec sleep 3600',
      'sh',
      String(sizeKb),
      mountPoint,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  holder.stdout?.on('data', (chunk) => {
    output += String(chunk);
  });
  holder.stderr?.on('data', (chunk) => {
    output += String(chunk);
  });
  const stop = async () => {
    if (holder.exitCode === null && holder.signalCode === null) {
      holder.kill('SIGKILL');
      await once(holder, 'exit');
    }
    rmSync(mountPoint, { recursive: true, force: true });
  };
  try {
    await waitFor('the tmpfs', () => {
      if (holder.exitCode !== null)
        throw new Error(
          'cannot mount a tmpfs: this test needs root (CAP_SYS_ADMIN, for a mount namespace of its own) ' +
            `and unshare (util-linux): ${output}`,
        );
      return output.includes('mounted');
    });
  } catch (error) {
    await stop();
    throw error;
  }
  const path = join('/proc', String(holder.pid), 'root', mountPoint);
  const filler = join(path, 'filler');
  return {
    path,
    fill() {
      const fd = openSync(filler, 'a');
      const chunk = Buffer.alloc(4096);
      try {
        for (;;) writeSync(fd, chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      } finally {
        closeSync(fd);
      }
    },
    free() {
      rmSync(filler, { force: true });
    },
    async remount(mode) {
      await promisify(execFile)('nsenter', [
        '-t',
        String(holder.pid),
        '-m',
        'mount',
        '-o',
        `remount,${mode}`,
        mountPoint,
      ]);
    },
    stop,
  };
}
