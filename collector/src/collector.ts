import { randomBytes } from 'node:crypto';
import type { Logger } from '@pantau/shared';
import { type EmbeddedBroker, startEmbeddedBroker } from './broker/embedded-broker.js';
import type { CollectorConfig } from './config/schema.js';
import { buildHttpHandler } from './http/http-handler.js';
import { type HttpServer, listenHttp } from './http/http-server.js';
import { createIngest, type Ingest } from './ingest/ingest.js';
import { createSubscriber, type Subscriber } from './ingest/subscriber.js';
import type { Store } from './store/store.js';

export interface CollectorDeps {
  readonly config: CollectorConfig;
  readonly store: Store;
  readonly log: Logger;
  readonly nowMs: () => number;
}

export interface Collector {
  /** Starts the HTTP server (when enabled), the embedded broker when no broker URL is configured, then subscribes. */
  start(): Promise<void>;
  /** Closes the HTTP server, unsubscribes, stops the embedded broker, closes the store. Safe to call twice. */
  stop(): Promise<void>;
  readonly ingest: Ingest;
  readonly store: Store;
  /** The broker this collector uses (the embedded one's URL when it runs one); set after start. */
  readonly brokerUrl: string | null;
  /** The HTTP server's URL when `http.enabled`; set after start. */
  readonly httpUrl: string | null;
}

/** Builds the collector; nothing runs until `start()`. */
export function createCollector(deps: CollectorDeps): Collector {
  const { config, log } = deps;
  const ingest = createIngest(
    {
      topicRoot: config.topicRoot,
      maxPayloadBytes: config.ingest.maxPayloadBytes,
      quarantineSize: config.ingest.quarantineSize,
    },
    { store: deps.store, log: log.child({ module: 'ingest' }), nowMs: deps.nowMs },
  );
  let broker: EmbeddedBroker | null = null;
  let subscriber: Subscriber | null = null;
  let brokerUrl: string | null = null;
  let http: HttpServer | null = null;
  let stopping: Promise<void> | null = null;

  return {
    ingest,
    store: deps.store,
    get brokerUrl() {
      return brokerUrl;
    },
    get httpUrl() {
      return http?.url ?? null;
    },
    async start() {
      // First, so a port already in use stops the start before anything else runs.
      if (config.http.enabled) {
        const handler = buildHttpHandler({
          speedtest: config.http.speedtest,
          randomBytes,
          monotonicMs: () => performance.now(),
          log: log.child({ module: 'http' }),
        });
        http = await listenHttp(handler, config.http.host, config.http.port);
      }
      if (config.mqtt.url === undefined) {
        broker = await startEmbeddedBroker(
          config.embeddedBroker.host,
          config.embeddedBroker.port,
          log.child({ module: 'broker' }),
        );
        brokerUrl = broker.url;
      } else {
        brokerUrl = config.mqtt.url;
      }
      subscriber = createSubscriber(
        { ...config.mqtt, url: brokerUrl, topicRoot: config.topicRoot },
        ingest,
        log.child({ module: 'subscriber' }),
      );
      await subscriber.start();
      log.info(
        { event: 'started', broker: brokerUrl, embedded: broker !== null, http: http?.url ?? null },
        'collector started',
      );
    },
    stop() {
      stopping ??= (async () => {
        await http?.close();
        await subscriber?.stop();
        await broker?.close();
        await deps.store.close();
        log.info({ event: 'stopped', ...ingest.counters() }, 'collector stopped');
      })();
      return stopping;
    },
  };
}
