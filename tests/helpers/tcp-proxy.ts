import { connect, createServer, type Server, type Socket } from 'node:net';

/** Bytes and writes seen in one direction. */
export interface FlowCount {
  bytes: number;
  chunks: number;
}

export interface TcpProxy {
  readonly port: number;
  readonly url: string;
  /** Client to server, and server to client. */
  readonly up: FlowCount;
  readonly down: FlowCount;
  /** From now on nothing passes either way and nothing is closed: a silent link cut. */
  cut(): void;
  /** Traffic flows again for new connections; the ones open during the cut are dropped silently. */
  restore(): void;
  close(): Promise<void>;
}

/** A loopback TCP proxy that counts every byte in both directions and can cut the link silently. */
export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const up: FlowCount = { bytes: 0, chunks: 0 };
  const down: FlowCount = { bytes: 0, chunks: 0 };
  const sockets = new Set<Socket>();
  let cutNow = false;
  const server: Server = createServer((client) => {
    const upstream: Socket = connect(targetPort, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    const pair = { severed: cutNow };
    // Once cut, a connection stays a black hole, as a real dead link is to the peers using it.
    const passes = () => {
      if (cutNow) pair.severed = true;
      return !pair.severed;
    };
    client.on('data', (chunk: Buffer) => {
      if (!passes()) return;
      up.bytes += chunk.byteLength;
      up.chunks += 1;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!passes()) return;
      down.bytes += chunk.byteLength;
      down.chunks += 1;
      client.write(chunk);
    });
    const end = () => {
      // During a cut, a close does not travel either: the other side must find out by itself.
      if (pair.severed) return;
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', () => {});
    upstream.on('error', () => {});
    client.on('close', () => sockets.delete(client));
    upstream.on('close', () => sockets.delete(upstream));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    url: `mqtt://127.0.0.1:${address.port}`,
    up,
    down,
    cut() {
      cutNow = true;
    },
    restore() {
      cutNow = false;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
