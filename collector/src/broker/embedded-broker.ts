import { once } from 'node:events';
import { type AddressInfo, createServer, type Server } from 'node:net';
import type { Logger } from '@pantau/shared';
import { Aedes } from 'aedes';

/** An MQTT broker inside the collector (aedes), so one machine needs nothing else installed. */
export interface EmbeddedBroker {
  /** The URL clients connect to, e.g. mqtt://127.0.0.1:1883. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Starts aedes on `host:port` (port 0 picks a free one). Its sessions and retained messages live in memory. */
export async function startEmbeddedBroker(host: string, port: number, log: Logger): Promise<EmbeddedBroker> {
  const aedes = await Aedes.createBroker();
  aedes.on('clientError', (client, error) =>
    log.debug({ event: 'client_error', clientId: client.id, err: error.message }, 'broker client error'),
  );
  const server: Server = createServer(aedes.handle);
  server.listen(port, host);
  await once(server, 'listening');
  const bound = (server.address() as AddressInfo).port;
  const url = `mqtt://${host.includes(':') ? `[${host}]` : host}:${bound}`;
  log.info({ event: 'embedded_broker_listening', url }, 'embedded MQTT broker listening');
  let closing: Promise<void> | null = null;
  return {
    url,
    port: bound,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => aedes.close(() => resolve()));
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })();
      return closing;
    },
  };
}
