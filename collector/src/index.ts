// The collector's public entry point: what other packages (bench, tests) build it from and read
// from it. Modules inside the collector import each other directly.

export { startEmbeddedBroker } from './broker/embedded-broker.js';
export { parseCollectorArgs } from './cli.js';
export { type Collector, createCollector, groupCommitMax } from './collector.js';
export { runAlertsCommand } from './commands/alerts-command.js';
export { parseDuration, resolveWindow } from './commands/health-args.js';
export { formatHealthTable, healthViews } from './commands/health-report.js';
export { parseProvisionArgs, runProvision } from './commands/provision-command.js';
export { importSites, setSite } from './commands/registry-commands.js';
export { formatSitesTable } from './commands/sites.js';
export { formatStatsTable } from './commands/stats.js';
export { parseUserArgs, runUserAdd } from './commands/user-command.js';
export { type CollectorConfig, collectorConfigSchema, collectorEnvMap } from './config/schema.js';
export { dashboardAssetDir } from './dashboard/assets.js';
export { compileCanonicalCheck, decodeIngestPayload, hasRefinement } from './decode/index.js';
export { createGapTracker, type GapTracker } from './gaps/gap-tracker.js';
export { createHealthRunner, type HealthRunner } from './health/health-runner.js';
export * from './health/index.js';
export { type AccessConfig, accessConfigSchema } from './http/access/access-config.js';
export { hashPassword, hashToken, newToken, verifyPassword } from './http/access/passwords.js';
export { buildHttpApp } from './http/app.js';
export type { CollectorLive, HttpAppDeps } from './http/app-deps.js';
export { type AuditEntry, type AuditLog, createMemoryAuditLog } from './http/audit-log.js';
export type { HttpRequest, HttpResponse } from './http/http-types.js';
export { type HttpServer, listenHttp } from './http/listen.js';
export type { FleetLatest } from './http/overview/fleet-view.js';
export { createOverviewCache, type OverviewSource, SERVE_OVERVIEW_CACHE } from './http/overview/overview-snapshot.js';
export { type OverviewState, overviewStates, type SiteState, siteStates } from './http/overview/states.js';
export { createSpeedtest } from './http/speedtest.js';
export { buildSpeedtestApp } from './http/speedtest-app.js';
export { dashboardEn } from './i18n/dashboard-en.js';
export { dashboardId } from './i18n/dashboard-id.js';
export {
  type AmqpInput,
  type AmqpInputCounters,
  createAmqpInput,
  declareIngestQueue,
  redactUrl,
} from './ingest/amqp-input.js';
export { mqttTopicToRoutingKey, routingKeyToMqttTopic } from './ingest/amqp-topics.js';
export { createGroupCommitter } from './ingest/group-commit.js';
export { createIngest, type Ingest, type IngestCounters, StoreFailure } from './ingest/ingest.js';
export { applyPlausibility } from './ingest/plausibility.js';
export type { RejectReason } from './ingest/rejects.js';
export { createSubscriber, type Subscriber } from './ingest/subscriber.js';
export * from './leader/index.js';
export * from './provision/index.js';
export * from './reports/index.js';
export type { StoredCounters } from './store/counters.js';
export * from './store/latency-histogram.js';
export { openConfiguredStore } from './store/open-store.js';
export {
  type EvaluatorFence,
  type EvaluatorStore,
  FencedWriteError,
  fencedEvaluatorStore,
} from './store/postgres/evaluator-store.js';
export { pgMigrations } from './store/postgres/migrations.js';
export { newPool } from './store/postgres/pool.js';
export { openPostgresStore } from './store/postgres/postgres-store.js';
export { postgresStoredEvents } from './store/postgres/stored-events.js';
export type * from './store/records.js';
export { ROLLUP_COLUMNS, rollupValues } from './store/report-rows.js';
export type { Rollup, RollupGrain, ThroughputResult } from './store/rollup.js';
export type { SampleFacts } from './store/sample-facts.js';
export { sqliteMigrations } from './store/sqlite/migrations.js';
export { openSqliteStore } from './store/sqlite/sqlite-store.js';
export { openSqliteStoreInWorker } from './store/sqlite/worker-store.js';
export type { GapStore, HealthStores, IngestStore, MaintenanceStore, ReportStore, Store } from './store/store.js';
export { startStoreJobs } from './store/store-jobs.js';
