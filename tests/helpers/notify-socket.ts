import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { waitFor } from './wait.js';

/**
 * The service manager's end of sd_notify(3): a real AF_UNIX datagram socket, bound by Debian's
 * Python (Node cannot bind one). Like systemd, it closes every file descriptor a message carries,
 * which is how `systemd-notify`'s barrier learns that the message was read.
 */
const RECEIVER = `
import array, json, socket, sys, os
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print(json.dumps({"bound": True}), flush=True)
while True:
    data, anc, flags, addr = s.recvmsg(65536, socket.CMSG_SPACE(16 * 4))
    for level, kind, payload in anc:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds = array.array("i")
            fds.frombytes(payload[: len(payload) - (len(payload) % fds.itemsize)])
            for fd in fds:
                os.close(fd)
    print(json.dumps({"message": data.decode()}), flush=True)
`;

export interface NotifySocket {
  readonly path: string;
  /** Every datagram received, in order. */
  readonly messages: string[];
  stop(): Promise<void>;
}

export async function startNotifySocket(dir: string): Promise<NotifySocket> {
  const path = join(dir, 'notify.sock');
  const child: ChildProcess = spawn('/usr/bin/python3', ['-c', RECEIVER, path], { stdio: ['ignore', 'pipe', 'pipe'] });
  const messages: string[] = [];
  let bound = false;
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    const parsed = JSON.parse(line) as { bound?: boolean; message?: string };
    if (parsed.bound === true) bound = true;
    if (parsed.message !== undefined) messages.push(parsed.message);
  });
  await waitFor('the notify socket to be bound', () => {
    if (child.exitCode !== null) throw new Error(`the notify socket receiver exited: ${stderr}`);
    return bound;
  });
  return {
    path,
    messages,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    },
  };
}
