import { randomBytes } from 'node:crypto';
import {
  type AccessConfig,
  accessConfigSchema,
  buildHttpApp,
  collectorConfigSchema,
  SERVE_OVERVIEW_CACHE,
  type Store,
} from '@pantau/collector';
import { createLogger, type Logger } from '@pantau/shared';

export interface DashboardAppOptions {
  readonly access?: Partial<AccessConfig>;
  /** The built dashboard (index.html and assets/), or null for the API alone. */
  readonly dashboardDir?: string | null;
  /** The API's clock; the real one unless a bench pins "now" to its filled day. */
  readonly nowMs?: () => number;
  /** How often `/api/events` compares snapshots. */
  readonly eventsPollMs?: number;
  readonly log?: Logger;
}

/**
 * The collector's HTTP app over a filled store, with the cache settings `serve` uses and no ingest
 * behind it (its counters read zero): what the dashboard benches and the browser test drive.
 */
export function dashboardApp(store: Store, options: DashboardAppOptions = {}): ReturnType<typeof buildHttpApp> {
  const config = collectorConfigSchema.parse({});
  return buildHttpApp({
    store,
    access: accessConfigSchema.parse(options.access ?? { mode: 'demo' }),
    speedtest: config.http.speedtest,
    config,
    live: {
      ingestCounters: () => ({
        messages: 0,
        samplesStored: 0,
        duplicates: 0,
        staleStatuses: 0,
        resendReplies: 0,
        rejected: 0,
        rejectsByReason: {},
        quarantineWriteFailures: 0,
      }),
      inputCounters: () => undefined,
      evaluator: () => null,
      inputConnected: () => true,
      storeBytes: async () => null,
    },
    dashboardDir: options.dashboardDir ?? null,
    overview: SERVE_OVERVIEW_CACHE,
    events: { pollMs: options.eventsPollMs ?? 2_000, heartbeatMs: 15_000, maxClients: 200 },
    randomBytes,
    monotonicMs: () => performance.now(),
    nowMs: options.nowMs ?? (() => Date.now()),
    every: (ms, fn) => {
      const timer = setInterval(fn, ms);
      return () => clearInterval(timer);
    },
    log: options.log ?? createLogger('bench-dashboard', 'warn'),
  });
}
