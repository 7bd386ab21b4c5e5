import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { waitFor } from './wait.js';

export interface PtyPair {
  /** The two ends: bytes written to one are read from the other. */
  readonly a: string;
  readonly b: string;
  stop(): Promise<void>;
}

/** A pseudo-terminal pair from `socat -d -d pty,raw,echo=0 pty,raw,echo=0` (Debian package socat). */
export async function startPtyPair(): Promise<PtyPair> {
  const child: ChildProcess = spawn('socat', ['-d', '-d', 'pty,raw,echo=0', 'pty,raw,echo=0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.on('error', (error) => {
    stderr += `cannot start socat (${error.message}); install it: apt-get install socat`;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  };
  try {
    const [a, b] = await waitFor('socat ptys', () => {
      if (child.exitCode !== null) throw new Error(`socat exited: ${stderr}`);
      const ptys = [...stderr.matchAll(/PTY is (\S+)/g)].map((m) => m[1] ?? '');
      return ptys.length === 2 && stderr.includes('starting data transfer loop') ? ptys : null;
    });
    return { a: a ?? '', b: b ?? '', stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
