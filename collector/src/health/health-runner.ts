import { guard, type Logger, type SiteStatus, type TelemetryBatch } from '@pantau/shared';
import type { SinkCounters } from '../alerts/dispatcher.js';
import type { Notification, SinkName } from '../alerts/notification.js';
import { createAlertmanagerSink } from '../alerts/sinks/alertmanager.js';
import { type AlertPublisher, createMqttAlertSink } from '../alerts/sinks/mqtt.js';
import type { AlertSink, HttpPoster } from '../alerts/sinks/sink.js';
import { createWebhookSink } from '../alerts/sinks/webhook.js';
import { type RegisteredSite, sameRegistration } from '../registry/site-registry.js';
import type { HealthStores } from '../store/store.js';
import type { HealthConfig } from './config.js';
import { createHealthService, type HealthService } from './health-service.js';
import type { SunLookup } from './power.js';
import { pruneHealthData } from './retention.js';
import { healthSamplesOf } from './sample-view.js';

export interface HealthRunnerDeps {
  readonly config: HealthConfig;
  readonly topicRoot: string;
  readonly store: HealthStores;
  /** Publishes the retained alert state (the collector's broker connection). */
  readonly publisher: AlertPublisher;
  readonly poster: HttpPoster;
  readonly userAgent: string;
  readonly nowMs: () => number;
  readonly random: () => number;
  readonly newId: (prefix: string) => string;
  readonly sun: SunLookup;
  readonly every: (ms: number, fn: () => void) => () => void;
  readonly log: Logger;
  /** See `HealthServiceDeps.handoverWithinMs`. */
  readonly handoverWithinMs?: number | undefined;
}

/** Events waiting for the health service past which ingest waits too (memory stays bounded). */
export const MAX_PENDING_EVENTS = 1000;

export function buildSinks(
  deps: Pick<HealthRunnerDeps, 'config' | 'topicRoot' | 'publisher' | 'poster' | 'nowMs' | 'userAgent'>,
) {
  const { delivery, alerts } = deps.config;
  const sinks: AlertSink[] = [];
  if (delivery.mqtt.enabled) sinks.push(createMqttAlertSink(deps.topicRoot, deps.publisher));
  const { webhook, alertmanager } = delivery;
  if (webhook.url !== undefined && webhook.secret !== undefined) {
    sinks.push(
      createWebhookSink({
        url: webhook.url,
        secret: webhook.secret,
        timeoutMs: webhook.timeoutMs,
        language: alerts.language,
        poster: deps.poster,
        nowMs: deps.nowMs,
        userAgent: deps.userAgent,
      }),
    );
  }
  let repost: ((firing: readonly Notification[]) => Promise<unknown>) | undefined;
  if (alertmanager.url !== undefined) {
    const sink = createAlertmanagerSink({
      url: alertmanager.url,
      timeoutMs: alertmanager.timeoutMs,
      language: alerts.language,
      poster: deps.poster,
      nowMs: deps.nowMs,
    });
    sinks.push(sink);
    repost = (firing) => sink.post(firing);
  }
  return { sinks, repost };
}

/**
 * Health in `serve`: feeds the health service from ingest (statuses, stored batches, the broker
 * connection), and runs its passes on timers: evaluation and delivery, reading back what commands
 * changed (registry, silences, maintenance, acknowledgements), the daily usage judgement and
 * Alertmanager's reposts. Each timed job is guarded and skipped while its previous run still runs.
 */
export function createHealthRunner(deps: HealthRunnerDeps) {
  const { config, store } = deps;
  const log = deps.log;
  const { sinks, repost } = buildSinks(deps);
  const service: HealthService = createHealthService({
    config,
    state: store,
    outbox: store,
    controls: store,
    registry: store,
    facts: store,
    sinks,
    repost,
    nowMs: deps.nowMs,
    random: deps.random,
    newId: deps.newId,
    sun: deps.sun,
    log,
    handoverWithinMs: deps.handoverWithinMs,
  });
  let known = new Map<string, RegisteredSite>();
  let pending = 0;
  let failures = 0;
  /** Feeds and timed jobs in progress; deliveries apart (a hung sink must not hold `idle`). */
  const running = new Set<Promise<void>>();
  const deliveries = new Set<Promise<void>>();
  const stops: (() => void)[] = [];

  /** Hands an event to the service; the promise is returned (for ingest to wait on) only when many wait. */
  function feed(event: string, run: () => Promise<unknown>): Promise<void> | undefined {
    pending++;
    const done = run().then(
      () => {},
      (error: unknown) => {
        failures++;
        log.error({ event: 'health_event_failed', kind: event, err: error }, 'health could not take an event');
      },
    );
    const tracked = done.finally(() => {
      pending--;
      running.delete(tracked);
    });
    running.add(tracked);
    return pending > MAX_PENDING_EVENTS ? tracked : undefined;
  }

  /** Work that runs on while the caller goes on; `stop` waits for it before the store closes. */
  function background(work: Promise<unknown>): void {
    const tracked = work.then(
      () => {},
      (error: unknown) => log.error({ event: 'alert_dispatch_failed', err: error }, 'alert delivery failed'),
    );
    deliveries.add(tracked);
    void tracked.finally(() => deliveries.delete(tracked));
  }

  function job(event: string, intervalMs: number, fn: () => Promise<unknown>): void {
    let current: Promise<void> | null = null;
    const guarded = guard(log, event, async () => {
      await fn();
    });
    stops.push(
      deps.every(intervalMs, () => {
        if (current !== null) return;
        const run = guarded().finally(() => {
          current = null;
          running.delete(run);
        });
        current = run;
        running.add(run);
      }),
    );
  }

  async function syncRegistry(): Promise<void> {
    const list = await store.list();
    const next = new Map(list.map((r) => [r.siteId, r]));
    for (const r of list) {
      const old = known.get(r.siteId);
      if (old === undefined || !sameRegistration(old, r)) await service.register(r.siteId, r);
    }
    for (const siteId of known.keys()) if (!next.has(siteId)) await service.register(siteId, null);
    known = next;
  }

  async function applyAcks(): Promise<void> {
    for (const ack of await store.pendingAcks()) {
      const done = await service.acknowledge(ack.key, ack.by, ack.note);
      if (!done) log.warn({ event: 'ack_unknown', key: ack.key }, 'no alert to acknowledge under this key');
      await store.ackApplied(ack);
    }
  }

  async function sync(): Promise<void> {
    await syncRegistry();
    await service.refreshControls();
    await applyAcks();
  }

  return {
    service,
    /** Loads the saved state and starts the timed passes. */
    async start(): Promise<void> {
      known = new Map((await store.list()).map((r) => [r.siteId, r]));
      await service.start();
      await service.evaluateUsage();
      background(service.deliver());
      job('health_tick', config.evaluateIntervalSec * 1000, async () => {
        await service.tick();
        // Not waited for: a sink that hangs (up to its timeout per item) must not hold back the
        // next evaluation pass; each sink drains on its own, one round at a time.
        background(service.deliver());
      });
      job('health_sync', config.syncIntervalSec * 1000, sync);
      job('health_usage', config.usageIntervalSec * 1000, service.evaluateUsage);
      job('health_prune', config.retention.pruneIntervalSec * 1000, () =>
        pruneHealthData(store, config.retention, deps.nowMs(), log),
      );
      if (repost !== undefined)
        job('alertmanager_repost', config.delivery.alertmanager.repostSec * 1000, service.repost);
      log.info({ event: 'health_started', sinks: sinks.map((s) => s.name) }, 'health and alerts started');
    },
    onStatus: (status: SiteStatus, receivedMs: number) => feed('status', () => service.onStatus(status, receivedMs)),
    onBatch: (batch: TelemetryBatch, receivedMs: number) =>
      feed('samples', () => service.onSamples(batch.siteId, healthSamplesOf(batch, receivedMs), receivedMs)),
    onBroker: (up: boolean) => feed('broker', () => service.onBroker(up, deps.nowMs())),
    /** Resolves once the events fed so far and the timed jobs started so far are done. */
    async idle(): Promise<void> {
      while (running.size > 0) await Promise.all(running);
    },
    /** Stops the passes and waits for what runs, a send in progress included (the store closes after). */
    async stop(): Promise<void> {
      for (const stop of stops.splice(0)) stop();
      service.dispatcher.stop();
      while (running.size + deliveries.size > 0) await Promise.all([...running, ...deliveries]);
    },
    counters: () => ({ pendingEvents: pending, failedEvents: failures }),
    evaluatorMetrics: (): EvaluatorMetrics => ({ pendingEvents: pending, sinks: service.dispatcher.counters() }),
  };
}

/** What /metrics shows of the health evaluator running in this process. */
export interface EvaluatorMetrics {
  /** Ingest events waiting for the evaluator (its lag). */
  readonly pendingEvents: number;
  readonly sinks: ReadonlyMap<SinkName, Readonly<SinkCounters>>;
}
export type HealthRunner = ReturnType<typeof createHealthRunner>;
