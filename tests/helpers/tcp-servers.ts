import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';

export interface BlackholePort {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * A loopback port whose SYNs go unanswered, for a real connect timeout without leaving the host:
 * a listener with a backlog of 1 in a child process that is then stopped (SIGSTOP), so it never
 * accepts; once its accept queue is full, the kernel drops further SYNs.
 */
export async function startBlackholePort(): Promise<BlackholePort> {
  const child = spawn(
    process.execPath,
    [
      '-e',
      "const s = require('net').createServer().listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => console.log(s.address().port));",
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
  const port = Number.parseInt(String(chunk).trim(), 10);
  child.kill('SIGSTOP');
  const held: Socket[] = [];
  for (let i = 0; i < 8; i++) {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => {});
    held.push(socket);
    const connected = await Promise.race([
      once(socket, 'connect').then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 300)),
    ]);
    if (!connected) break;
  }
  return {
    port,
    async close() {
      for (const socket of held) socket.destroy();
      child.kill('SIGKILL');
      if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
    },
  };
}
