import type { Logger, SiteStatus } from '@pantau/shared';
import { MS_PER_DAY } from '@pantau/shared';
import { Controls, type Maintenance, type Silence } from '../alerts/controls.js';
import { createDispatcher } from '../alerts/dispatcher.js';
import type { Notification, OutboxItem, SinkName } from '../alerts/notification.js';
import { createAlertPolicy, type PolicyStep } from '../alerts/policy.js';
import type { AlertSink } from '../alerts/sinks/sink.js';
import type { RegisteredSite, SiteRegistry } from '../registry/site-registry.js';
import type { HealthConfig } from './config.js';
import { createHealthEngine, type Step } from './engine.js';
import type { AlertOutbox, ControlsStore, HealthStateStore } from './ports.js';
import type { SunLookup } from './power.js';
import type { HealthSample } from './sample-view.js';
import { transitionsOf } from './transitions.js';
import { type DailyFactsSource, judgeUsage } from './underused.js';

export interface HealthServiceDeps {
  readonly config: HealthConfig;
  readonly state: HealthStateStore;
  readonly outbox: AlertOutbox;
  readonly controls: ControlsStore;
  readonly registry: SiteRegistry;
  readonly facts: DailyFactsSource;
  readonly sinks: readonly AlertSink[];
  /** Alertmanager's repeated posting of what fires (absent without Alertmanager). */
  readonly repost?: ((firing: readonly Notification[]) => Promise<unknown>) | undefined;
  readonly nowMs: () => number;
  readonly random: () => number;
  readonly newId: (prefix: string) => string;
  readonly sun: SunLookup;
  readonly log: Logger;
  /**
   * With one evaluator among collectors: a state saved this recently is a handover from the
   * previous evaluator, not a restart (no restart grace). Absent: every start is a restart.
   */
  readonly handoverWithinMs?: number | undefined;
}

const ALERT_SINKS: readonly SinkName[] = ['webhook', 'alertmanager'];

/**
 * A revised cause is news to people only for outages; Alertmanager needs every change of a
 * notified alert's cause, since the cause is one of its labels (the old label set is ended).
 */
function wanted(sink: SinkName, n: Notification): boolean {
  if (n.event !== 'revised') return true;
  return sink === 'alertmanager' ? n.previousCause !== null : n.alert?.kind === 'offline';
}

/**
 * Health, alerts and delivery in one place for the collector to feed: each event runs the engine
 * and the policy, then commits everything it changed (states, alert records, transitions, outbox)
 * in one store transaction, and only then may the dispatcher deliver. Events run one at a time.
 */
export function createHealthService(deps: HealthServiceDeps) {
  const { config } = deps;
  const controls = new Controls();
  const records = new Map<string, RegisteredSite>();
  const siteOf = (siteId: string) => records.get(siteId) ?? null;
  const areaOf = (siteId: string) => {
    const r = records.get(siteId);
    return { siteId, kecamatanCode: r?.kecamatanCode ?? null, kabupatenCode: r?.kabupatenCode ?? null };
  };
  const engine = createHealthEngine({
    config,
    newId: deps.newId,
    inMaintenance: (siteId, atMs) => controls.inMaintenance(areaOf(siteId), atMs),
    sun: deps.sun,
  });
  const policy = createAlertPolicy({ config, controls, siteOf, newId: deps.newId });
  const dispatcher = createDispatcher(
    {
      retryMinMs: config.delivery.retryMinMs,
      retryMaxMs: config.delivery.retryMaxMs,
      maxAgeMs: config.delivery.maxAgeSec * 1000,
      batch: config.delivery.batch,
    },
    { outbox: deps.outbox, sinks: deps.sinks, nowMs: deps.nowMs, random: deps.random, log: deps.log },
  );
  const sinkNames = new Set(deps.sinks.map((s) => s.name));
  let queue: Promise<unknown> = Promise.resolve();

  function serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = queue.then(fn);
    queue = next.catch(() => {});
    return next;
  }

  function outboxItems(step: PolicyStep, nowMs: number): OutboxItem[] {
    const item = (sink: SinkName, notification: Notification): OutboxItem => ({
      sink,
      notification,
      attempts: 0,
      nextAttemptMs: nowMs,
      lastError: null,
    });
    const items: OutboxItem[] = [];
    if (sinkNames.has('mqtt')) for (const p of step.publications) items.push(item('mqtt', p));
    for (const n of step.notifications) {
      for (const sink of ALERT_SINKS) {
        if (sinkNames.has(sink) && wanted(sink, n)) items.push(item(sink, n));
      }
    }
    return items;
  }

  async function commit(step: Step, decided: PolicyStep): Promise<PolicyStep> {
    const nowMs = deps.nowMs();
    await deps.state.commit({
      sites: step.dirty,
      noc: engine.noc(),
      alerts: decided.alerts,
      incidents: decided.incidents,
      transitions: transitionsOf(step.changes),
      outbox: outboxItems(decided, nowMs),
      savedAtMs: nowMs,
    });
    return decided;
  }

  const handle = (step: Step) => commit(step, policy.apply(step.changes));

  async function reloadControls(): Promise<void> {
    controls.replace(await deps.controls.silences(), await deps.controls.maintenance());
  }

  return {
    /** Loads the saved state, the registry and the operator's controls, then starts judging. */
    start: () =>
      serial(async () => {
        const snapshot = await deps.state.load();
        const list = await deps.registry.list();
        for (const r of list) records.set(r.siteId, r);
        await reloadControls();
        policy.restore(snapshot.alerts, snapshot.openIncidents);
        return handle(engine.start(snapshot, list, deps.nowMs(), deps.handoverWithinMs));
      }),
    onStatus: (status: SiteStatus, receivedMs: number) => serial(() => handle(engine.onStatus(status, receivedMs))),
    onSamples: (siteId: string, samples: readonly HealthSample[], receivedMs: number) =>
      serial(() => handle(engine.onSamples(siteId, samples, receivedMs))),
    /** The collector's own broker connection went down or came back. */
    onBroker: (up: boolean, atMs: number) => serial(() => handle(engine.onBroker(up, atMs))),
    /** One evaluation pass: silences, settling wills, tolerances, flapping, NOC incidents. */
    tick: () =>
      serial(async () => {
        const nowMs = deps.nowMs();
        const step = engine.tick(nowMs);
        const applied = policy.apply(step.changes);
        const ticked = policy.tick(nowMs);
        return commit(step, {
          alerts: [...applied.alerts, ...ticked.alerts],
          incidents: [...applied.incidents, ...ticked.incidents],
          publications: [...applied.publications, ...ticked.publications],
          notifications: [...applied.notifications, ...ticked.notifications],
        });
      }),
    /** Underused and completeness, from the daily roll-ups of the trailing window. */
    evaluateUsage: () =>
      serial(async () => {
        const nowMs = deps.nowMs();
        const todayMs = Math.floor(nowMs / MS_PER_DAY) * MS_PER_DAY;
        const facts = await deps.facts.siteDays(todayMs - config.underused.windowDays * MS_PER_DAY, todayMs);
        // A decommissioned site is neither judged nor ranked among its kabupaten's sites.
        const inService = [...records.values()].filter((r) => r.decommissionedMs === null);
        const sites = inService.map((r) => ({
          siteId: r.siteId,
          group: r.group,
          kabupatenCode: r.kabupatenCode,
        }));
        return handle(engine.applyUsage(judgeUsage(sites, facts, todayMs, config), nowMs));
      }),
    register: (siteId: string, record: RegisteredSite | null) =>
      serial(async () => {
        if (record === null) records.delete(siteId);
        else records.set(siteId, record);
        return handle(engine.register(siteId, record, deps.nowMs()));
      }),
    acknowledge: (key: string, by: string, note: string) =>
      serial(async () => {
        const decided = policy.acknowledge(key, by, note, deps.nowMs());
        if (decided === null) return false;
        await commit({ changes: [], dirty: [] }, decided);
        return true;
      }),
    addSilence: (silence: Silence) =>
      serial(async () => {
        await deps.controls.putSilence(silence);
        await reloadControls();
      }),
    addMaintenance: (window: Maintenance) =>
      serial(async () => {
        await deps.controls.putMaintenance(window);
        await reloadControls();
      }),
    /** Reads silences and maintenance windows again (a command may have changed them). */
    refreshControls: () => serial(reloadControls),
    endControl: (id: string) =>
      serial(async () => {
        const ended = await deps.controls.end(id, deps.nowMs());
        await reloadControls();
        return ended;
      }),
    /** Delivers what the outbox holds, every sink on its own. */
    deliver: () => dispatcher.pump(),
    /** Posts every firing alert to Alertmanager again (keep under its resolve_timeout). */
    repost: async () => deps.repost?.(policy.firing(deps.nowMs())),
    engine,
    policy,
    dispatcher,
  };
}
export type HealthService = ReturnType<typeof createHealthService>;
