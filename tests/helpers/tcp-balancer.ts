import { connect, createServer, type Server, type Socket } from 'node:net';

export interface TcpBalancer {
  readonly port: number;
  /** Connections accepted, per target port. */
  readonly accepted: Map<number, number>;
  close(): Promise<void>;
}

/**
 * A loopback TCP load balancer in front of a broker cluster, as a NOC puts one (or DNS) in front of
 * its nodes: each connection goes to the next target in turn; a target that refuses is skipped.
 */
export async function startTcpBalancer(targetPorts: readonly number[]): Promise<TcpBalancer> {
  const sockets = new Set<Socket>();
  const accepted = new Map<number, number>();
  let next = 0;
  const track = (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  };
  function pipeTo(client: Socket, tries: number): void {
    if (tries >= targetPorts.length || client.destroyed) {
      client.destroy();
      return;
    }
    const port = targetPorts[next % targetPorts.length] ?? 0;
    next += 1;
    const upstream = connect(port, '127.0.0.1');
    track(upstream);
    let connected = false;
    upstream.on('error', () => {
      if (connected) client.destroy();
      else pipeTo(client, tries + 1);
    });
    upstream.once('connect', () => {
      connected = true;
      accepted.set(port, (accepted.get(port) ?? 0) + 1);
      client.on('error', () => upstream.destroy());
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
      client.once('close', () => upstream.destroy());
      upstream.once('close', () => client.destroy());
    });
  }
  const server: Server = createServer({ pauseOnConnect: true }, (client) => {
    track(client);
    client.on('error', () => {});
    pipeTo(client, 0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    accepted,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
