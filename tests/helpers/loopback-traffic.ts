import { once } from 'node:events';
import { connect, createServer } from 'node:net';

/**
 * Moves `bytes` over TCP on 127.0.0.1 and waits until the far side has them all, so the loopback
 * interface's counters grow by at least that much.
 */
export async function loopbackTraffic(bytes: number): Promise<void> {
  let received = 0;
  let done: () => void = () => {};
  const allIn = new Promise<void>((resolve) => {
    done = resolve;
  });
  const server = createServer((socket) => {
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received >= bytes) done();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const client = connect(address.port, '127.0.0.1');
  await once(client, 'connect');
  const chunk = Buffer.alloc(64 * 1024, 0x5a);
  for (let sent = 0; sent < bytes; sent += chunk.length) {
    if (!client.write(chunk)) await once(client, 'drain');
  }
  await allIn;
  client.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
