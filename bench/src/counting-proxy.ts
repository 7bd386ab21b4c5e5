import { connect, createServer, type Socket } from 'node:net';

/** Bytes and writes (each write is one TCP segment train, one TLS record when wrapped) one way. */
export interface FlowCount {
  bytes: number;
  chunks: number;
}

export interface CountingProxy {
  readonly url: string;
  /** Client to server, and server to client. */
  readonly up: FlowCount;
  readonly down: FlowCount;
  close(): Promise<void>;
}

/**
 * A loopback TCP proxy in front of an MQTT broker that counts every byte in both directions; in
 * front of a TLS listener it counts the TLS bytes (`scheme` mqtts: the client speaks TLS through it).
 */
export async function startCountingProxy(
  targetPort: number,
  scheme: 'mqtt' | 'mqtts' = 'mqtt',
): Promise<CountingProxy> {
  const up: FlowCount = { bytes: 0, chunks: 0 };
  const down: FlowCount = { bytes: 0, chunks: 0 };
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => {
        sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk: Buffer) => {
      up.bytes += chunk.byteLength;
      up.chunks += 1;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      down.bytes += chunk.byteLength;
      down.chunks += 1;
      client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    url: `${scheme}://127.0.0.1:${address.port}`,
    up,
    down,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
