import { randomBytes } from 'node:crypto';
import { guard, type Logger } from '@pantau/shared';
import amqp from 'amqplib';
import { type EmbeddedBroker, startEmbeddedBroker } from './broker/embedded-broker.js';
import type { CollectorConfig } from './config/schema.js';
import { createGapTracker, type GapTracker } from './gaps/gap-tracker.js';
import type { EvaluatorMetrics, HealthRunner } from './health/health-runner.js';
import { buildHttpApp } from './http/app.js';
import { type HttpServer, listenHttp } from './http/listen.js';
import { SERVE_OVERVIEW_CACHE } from './http/overview/overview-snapshot.js';
import { createAmqpInput, redactUrl } from './ingest/amqp-input.js';
import { createGroupCommitter } from './ingest/group-commit.js';
import { createIngest, type Ingest } from './ingest/ingest.js';
import { createSubscriber, type Subscriber } from './ingest/subscriber.js';
import { timeBounds } from './ingest/time-bounds.js';
import type { Store } from './store/store.js';
import { startStoreJobs } from './store/store-jobs.js';

/** Repeats `fn` every `ms` until the returned function is called. */
export type Every = (ms: number, fn: () => void) => () => void;

export const realEvery: Every = (ms, fn) => {
  const timer = setInterval(fn, ms);
  return () => clearInterval(timer);
};

export interface CollectorDeps {
  readonly config: CollectorConfig;
  readonly store: Store;
  readonly log: Logger;
  readonly nowMs: () => number;
  /** Timers for the background jobs (roll-ups, retention, gap scans); real intervals by default. */
  readonly every?: Every | undefined;
  /**
   * Site health and alerts, built by the caller over this collector's store and broker connection
   * (`publish` publishes on it); absent, the collector only stores.
   */
  readonly health?: ((publish: Publish) => HealthFeed) | undefined;
  /** The dashboard's built files, served at `/` when `http.enabled` (null: none). */
  readonly dashboardDir?: string | null | undefined;
  /** The store's size on disk, for /metrics (null: not known). */
  readonly storeBytes?: (() => Promise<number | null>) | undefined;
}

/** What the collector drives of health: the runner itself, or the gate that runs it on one collector only. */
export type HealthFeed = Pick<HealthRunner, 'start' | 'stop' | 'onStatus' | 'onBatch' | 'onBroker'> & {
  /** The evaluator's figures, or null where this collector does not evaluate now (a follower). */
  evaluatorMetrics(): EvaluatorMetrics | null;
};

export type Publish = (topic: string, payload: Buffer, options: { readonly retain: boolean }) => Promise<void>;

export interface Collector {
  /** Starts the HTTP server (when enabled), the embedded broker when no broker URL is configured, then subscribes. */
  start(): Promise<void>;
  /** Closes the HTTP server, unsubscribes, stops the embedded broker, closes the store. Safe to call twice. */
  stop(): Promise<void>;
  readonly ingest: Ingest;
  readonly store: Store;
  readonly gaps: GapTracker;
  /** Health and alerts, when wired. */
  readonly health: HealthFeed | null;
  /** The broker this collector uses (the embedded one's URL when it runs one); set after start. */
  readonly brokerUrl: string | null;
  /** The HTTP server's URL when `http.enabled`; set after start. */
  readonly httpUrl: string | null;
}

const DEFAULT_GROUP_COMMIT_MAX = 64;

/**
 * Batches per transaction: as configured, else a quarter of the connections when the store commits
 * off this thread (each connection has one message in flight, so a group of all of them would leave
 * this thread idle while it commits), else all of them.
 */
export function groupCommitMax(ingest: CollectorConfig['ingest'], store: Pick<Store, 'commitsOffThread'>): number {
  if (ingest.groupCommitMax !== undefined) return ingest.groupCommitMax;
  return store.commitsOffThread ? Math.max(1, Math.round(ingest.connections / 4)) : DEFAULT_GROUP_COMMIT_MAX;
}
/** Messages that may be committing at once: one per MQTT connection, or the AMQP prefetch. */
function messagesInFlight(config: CollectorConfig): number {
  return config.input.kind === 'amqp' ? config.amqp.prefetch : config.ingest.connections;
}

/** The input that feeds ingest: a RabbitMQ queue, or MQTT (the configured broker, else the embedded one). */
async function openInput(
  config: CollectorConfig,
  ingest: Ingest,
  log: Logger,
  onConnection: ((up: boolean) => void) | undefined,
) {
  const input = log.child({ module: 'subscriber' });
  if (config.input.kind === 'amqp') {
    const urls = config.amqp.urls ?? [];
    const subscriber = createAmqpInput({ ...config.amqp, urls, topicRoot: config.topicRoot }, ingest, {
      connect: (url) => amqp.connect(url),
      after: (ms, fn) => {
        const timer = setTimeout(fn, ms);
        return () => clearTimeout(timer);
      },
      log: input,
    });
    return { subscriber, broker: null, brokerUrl: redactUrl(urls[0] ?? '') };
  }
  const broker =
    config.mqtt.url === undefined
      ? await startEmbeddedBroker(
          config.embeddedBroker.host,
          config.embeddedBroker.port,
          log.child({ module: 'broker' }),
        )
      : null;
  const brokerUrl = broker?.url ?? config.mqtt.url ?? '';
  const subscriber = createSubscriber(
    {
      ...config.mqtt,
      url: brokerUrl,
      topicRoot: config.topicRoot,
      connections: config.ingest.connections,
      onConnection,
    },
    ingest,
    input,
  );
  return { subscriber, broker, brokerUrl };
}

/** Builds the collector; nothing runs until `start()`. */
export function createCollector(deps: CollectorDeps): Collector {
  const { config, log } = deps;
  let broker: EmbeddedBroker | null = null;
  let subscriber: Subscriber | null = null;
  let stopJobs: (() => Promise<void>) | null = null;
  const publish: Publish = (topic, payload, options) =>
    subscriber === null ? Promise.reject(new Error('not connected')) : subscriber.publish(topic, payload, options);
  const health = deps.health?.(publish) ?? null;
  const gaps = createGapTracker(
    {
      topicRoot: config.topicRoot,
      graceMs: config.gaps.graceSec * 1000,
      retryMs: config.gaps.retrySec * 1000,
      maxAttempts: config.gaps.maxAttempts,
      maxRangesPerSite: 20,
      maxSitesPerScan: config.gaps.maxSitesPerScan,
      maxTrackedSites: config.gaps.maxTrackedSites,
    },
    {
      store: deps.store,
      publish: (topic, payload) => publish(topic, payload, { retain: false }),
      nowMs: deps.nowMs,
      log: log.child({ module: 'gaps' }),
    },
  );
  const ingest = createIngest(
    {
      topicRoot: config.topicRoot,
      maxPayloadBytes: config.ingest.maxPayloadBytes,
      quarantineSize: config.ingest.quarantineSize,
      timeBounds: timeBounds(config.retention.rawDays),
    },
    {
      store: deps.store,
      log: log.child({ module: 'ingest' }),
      nowMs: deps.nowMs,
      committer:
        messagesInFlight(config) > 1
          ? createGroupCommitter(deps.store, groupCommitMax(config.ingest, deps.store))
          : undefined,
      onSamples: config.gaps.enabled ? gaps.noteSite : undefined,
      onResendReply: gaps.onReply,
      onBatch: health?.onBatch,
      onStatus: health?.onStatus,
    },
  );
  let brokerUrl: string | null = null;
  let http: HttpServer | null = null;
  let inputUp = false;
  let stopping: Promise<void> | null = null;

  return {
    ingest,
    store: deps.store,
    gaps,
    health,
    get brokerUrl() {
      return brokerUrl;
    },
    get httpUrl() {
      return http?.url ?? null;
    },
    async start() {
      // First, so a port already in use stops the start before anything else runs.
      if (config.http.enabled) {
        const app = buildHttpApp({
          store: deps.store,
          access: config.http.access,
          speedtest: config.http.speedtest,
          config,
          live: {
            ingestCounters: () => ingest.counters(),
            inputCounters: () => subscriber?.counters?.(),
            evaluator: () => health?.evaluatorMetrics() ?? null,
            inputConnected: () => inputUp,
            storeBytes: deps.storeBytes ?? (async () => null),
          },
          dashboardDir: config.http.dashboardDir ?? deps.dashboardDir ?? null,
          overview: SERVE_OVERVIEW_CACHE,
          events: { pollMs: 2_000, heartbeatMs: 15_000, maxClients: 200 },
          randomBytes,
          monotonicMs: () => performance.now(),
          nowMs: deps.nowMs,
          every: deps.every ?? realEvery,
          log: log.child({ module: 'http' }),
        });
        http = await listenHttp(app, config.http.host, config.http.port);
      }
      // Before subscribing: the retained statuses the broker hands over at once find health started,
      // and the first messages find the decoders compiled.
      await health?.start();
      ingest.prepare();
      const onConnection = (up: boolean) => {
        inputUp = up;
        if (health !== null) void health.onBroker(up);
      };
      const input = await openInput(config, ingest, log, onConnection);
      ({ broker, brokerUrl, subscriber } = input);
      await subscriber.start();
      inputUp = true;
      const every = deps.every ?? realEvery;
      const stopStoreJobs = startStoreJobs(config, { store: deps.store, nowMs: deps.nowMs, log, every });
      const stopGapScan = config.gaps.enabled
        ? every(config.gaps.scanIntervalSec * 1000, guard(log, 'gap_scan', gaps.scan))
        : () => {};
      stopJobs = async () => {
        stopGapScan();
        await stopStoreJobs();
      };
      log.info(
        { event: 'started', broker: brokerUrl, embedded: broker !== null, http: http?.url ?? null },
        'collector started',
      );
    },
    stop() {
      stopping ??= (async () => {
        await http?.close();
        await stopJobs?.();
        await subscriber?.stop();
        // Messages still being committed finish before the store closes; their PUBACKs may be
        // lost with the connection, and the broker then delivers them again (counted as duplicates).
        await ingest.drain();
        await health?.stop();
        await broker?.close();
        await deps.store.close();
        log.info({ event: 'stopped', ...ingest.counters(), input: subscriber?.counters?.() }, 'collector stopped');
      })();
      return stopping;
    },
  };
}
