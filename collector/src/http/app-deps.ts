import type { Logger } from '@pantau/shared';
import type { CollectorConfig } from '../config/schema.js';
import type { EvaluatorMetrics } from '../health/health-runner.js';
import type { IngestCounters } from '../ingest/ingest.js';
import type { Store } from '../store/store.js';
import type { AccessConfig } from './access/access-config.js';
import type { OverviewCacheOptions } from './overview/overview-snapshot.js';
import type { SpeedtestLimits } from './speedtest.js';

/** What the running collector tells the HTTP API about itself (for /metrics and /readyz). */
export interface CollectorLive {
  readonly ingestCounters: () => IngestCounters;
  /** The input's own counters (MQTT connections, AMQP), when it has them. */
  readonly inputCounters: () => Readonly<Record<string, number>> | undefined;
  /** The health evaluator's figures, when it runs in this process now. */
  readonly evaluator: () => EvaluatorMetrics | null;
  /** True while the broker (or AMQP) connection is up. */
  readonly inputConnected: () => boolean;
  /** The store's size on disk in bytes, when known. */
  readonly storeBytes: () => Promise<number | null>;
}

export interface HttpAppDeps {
  readonly store: Store;
  readonly access: AccessConfig;
  readonly speedtest: SpeedtestLimits & { readonly maxConcurrent: number };
  /** The report settings and health tolerances reports use (the collector's config). */
  readonly config: Pick<CollectorConfig, 'reports' | 'health'>;
  readonly live: CollectorLive;
  /** The dashboard's built files; null or a missing folder: `/` answers 404 saying so. */
  readonly dashboardDir: string | null;
  readonly overview: OverviewCacheOptions;
  /** How often `/api/events` compares states, and sends a heartbeat comment. */
  readonly events: { readonly pollMs: number; readonly heartbeatMs: number; readonly maxClients: number };
  readonly randomBytes: (n: number) => Buffer;
  readonly monotonicMs: () => number;
  readonly nowMs: () => number;
  readonly log: Logger;
}
