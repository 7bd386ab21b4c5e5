import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-file.js';
import type { ProvisionConfig } from './config.js';
import { acquireLock, processAlive } from './file-lock.js';
import type { ProvisionIo } from './provision.js';
import { reloadBroker } from './reload.js';

async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** The group's id from /etc/group (Node has no getgrnam). */
async function groupId(name: string): Promise<number | null> {
  const groups = (await readText('/etc/group')) ?? '';
  const line = groups.split('\n').find((l) => l.split(':')[0] === name);
  const gid = Number(line?.split(':')[2]);
  return line === undefined || !Number.isSafeInteger(gid) ? null : gid;
}

function run(file: string, args: readonly string[], timeoutMs: number) {
  return new Promise<{ code: number | null; stderr: string }>((resolve) => {
    execFile(file, [...args], { timeout: timeoutMs }, (error, _stdout, stderr) => {
      if (error === null) resolve({ code: 0, stderr });
      // Killed at the timeout: null; not started (ENOENT): 127, as a shell says.
      else if (error.killed) resolve({ code: null, stderr });
      else resolve({ code: typeof error.code === 'number' ? error.code : 127, stderr: stderr || error.message });
    });
  });
}

/** Provisioning on this machine's files and processes. */
export function realProvisionIo(config: ProvisionConfig): ProvisionIo {
  return {
    readText,
    writeAtomic: writeFileAtomic,
    groupId,
    lock: (path, waitMs) =>
      acquireLock(path, waitMs, {
        alive: processAlive,
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        nowMs: Date.now,
        pid: process.pid,
      }),
    reload: () =>
      reloadBroker(config.reload, {
        readText,
        signal: (pid, signal) => process.kill(pid, signal),
        run,
      }),
    randomBytes,
    async writeBundle(dir, files) {
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await chmod(dir, 0o700);
      for (const file of files) {
        await writeFile(join(dir, file.name), file.data, { mode: file.mode });
        await chmod(join(dir, file.name), file.mode);
      }
    },
    removeBundle: (dir) => rm(dir, { recursive: true, force: true }),
    joinPath: join,
  };
}
