import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';

export interface HttpServer {
  /** e.g. http://127.0.0.1:8080 (the real port when 0 was asked for). */
  readonly url: string;
  close(): Promise<void>;
}

/** Listens with a built app; timeouts bound a slow or stalled client. */
export async function listenHttp(app: FastifyInstance, host: string, port: number): Promise<HttpServer> {
  app.server.headersTimeout = 10_000;
  app.server.requestTimeout = 120_000;
  app.server.keepAliveTimeout = 5_000;
  await app.listen({ host, port });
  const address = app.server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    async close() {
      app.server.closeAllConnections();
      await app.close();
    },
  };
}
