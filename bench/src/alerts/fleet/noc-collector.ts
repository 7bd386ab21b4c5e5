import {
  type AlertRecord,
  type AlertSink,
  createHealthService,
  createMemoryHealthStore,
  createMemoryRegistry,
  createSunCache,
  type HealthConfig,
  type HealthService,
  type HealthStateStore,
  type IncidentRecord,
  type NocState,
  type Notification,
  type SiteHealth,
  type SiteRecord,
  type Transition,
} from '@pantau/collector';
import { createLogger } from '@pantau/shared';
import type { SiteMessage } from './site-agent.js';

/** Keeps every notification a webhook receiver would get. */
class RecordingSink implements AlertSink {
  readonly name = 'webhook';
  readonly sent: Notification[] = [];
  async send(n: Notification) {
    this.sent.push(n);
    return { ok: true } as const;
  }
}

/**
 * The health state role in memory, holding the objects last committed and copying them (through
 * JSON, as a database would) only when a collector start loads them: a month of 500 sites commits
 * about 5 million site states, and serialising each at commit would dominate the run. The
 * notifications of a commit go to the in-memory outbox with it.
 */
function referenceStateStore(transitions: Transition[], outbox: HealthStateStore): HealthStateStore {
  const sites = new Map<string, SiteHealth>();
  const alerts = new Map<string, AlertRecord>();
  const incidents = new Map<string, IncidentRecord>();
  let noc: NocState | null = null;
  let savedAtMs: number | null = null;
  const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
  return {
    async load() {
      return copy({
        sites: [...sites.values()],
        noc,
        alerts: [...alerts.values()],
        openIncidents: [...incidents.values()],
        savedAtMs,
      });
    },
    async commit(change) {
      for (const s of change.sites) sites.set(s.siteId, s);
      for (const a of change.alerts) alerts.set(a.key, a);
      for (const i of change.incidents) {
        if (i.endsAtMs === null) incidents.set(i.id, i);
        else incidents.delete(i.id);
      }
      transitions.push(...change.transitions);
      noc = change.noc;
      savedAtMs = change.savedAtMs;
      // The notifications go to the outbox in the same commit.
      if (change.outbox.length > 0) {
        await outbox.commit({ ...change, sites: [], alerts: [], incidents: [], transitions: [] });
      }
    },
    async history(siteId, fromMs, toMs) {
      return transitions.filter((t) => t.siteId === siteId && t.atMs >= fromMs && t.atMs < toMs);
    },
  };
}

/**
 * The collector's health service over in-memory stores on a clock the simulation steps: it hears
 * the sites' messages, ticks, and delivers to a recording webhook. It can stop and start again over
 * the same store (a collector restart: messages meanwhile wait in the broker's persistent session
 * and arrive at the restart) and lose its broker connection (a broker restart).
 */
export class NocCollector {
  nowMs: number;
  private service!: HealthService;
  private readonly outbox = createMemoryHealthStore();
  private readonly state: HealthStateStore;
  private readonly webhook = new RecordingSink();
  private readonly registry;
  private readonly sun = createSunCache();
  private readonly log = createLogger('bench', 'silent');
  private queued: SiteMessage[] = [];
  private running = false;
  private ids = 0;
  /** Every history line the health service committed (first causes, revisions). */
  readonly transitions: Transition[] = [];

  constructor(
    private readonly config: HealthConfig,
    records: readonly SiteRecord[],
    startMs: number,
  ) {
    this.nowMs = startMs;
    this.registry = createMemoryRegistry(records);
    this.state = referenceStateStore(this.transitions, this.outbox);
  }

  get notifications(): readonly Notification[] {
    return this.webhook.sent;
  }

  /** Builds the service over the store (saved state, if any) and starts judging. */
  async start(): Promise<void> {
    this.service = createHealthService({
      config: this.config,
      state: this.state,
      outbox: this.outbox,
      controls: this.outbox,
      registry: this.registry,
      facts: { siteDays: async () => [] },
      sinks: [this.webhook],
      nowMs: () => this.nowMs,
      random: () => 0.5,
      newId: (prefix) => `${prefix}/${++this.ids}`,
      sun: this.sun,
      log: this.log,
    });
    await this.service.start();
    this.running = true;
    const queued = this.queued;
    this.queued = [];
    for (const m of queued) await this.hear(m, this.nowMs);
    await this.service.deliver();
  }

  /** The collector process ends; what the sites send meanwhile waits in the broker. */
  stop(): void {
    this.running = false;
  }

  async receive(message: SiteMessage): Promise<void> {
    if (!this.running) {
      this.queued.push(message);
      return;
    }
    this.nowMs = Math.max(this.nowMs, message.atMs);
    await this.hear(message, message.atMs);
  }

  private async hear(m: SiteMessage, receivedMs: number): Promise<void> {
    if ('status' in m) await this.service.onStatus(m.status, receivedMs);
    else await this.service.onSamples(m.siteId, m.samples, receivedMs);
  }

  async broker(up: boolean, atMs: number): Promise<void> {
    this.nowMs = Math.max(this.nowMs, atMs);
    if (this.running) await this.service.onBroker(up, atMs);
  }

  /** One evaluation pass at `atMs`, then delivery. */
  async tick(atMs: number): Promise<void> {
    this.nowMs = Math.max(this.nowMs, atMs);
    if (!this.running) return;
    await this.service.tick();
    await this.service.deliver();
  }
}
