import { simulatedStatus } from '@pantau/bench/site-status';
import {
  type AlertOutbox,
  type AlertSink,
  type ControlsStore,
  createHealthService,
  createMemoryHealthStore,
  createMemoryRegistry,
  createSunCache,
  type DailyFactsSource,
  type HealthConfig,
  type HealthSample,
  type HealthService,
  type HealthStateStore,
  healthConfigSchema,
  type Notification,
  type SinkName,
  type SiteDayFacts,
  type SiteRecord,
} from '@pantau/collector';
import type { SiteStatus } from '@pantau/shared';
import { silentLogger } from '../../../helpers/fakes.js';

/** 2026-11-23 16:00 WITA (08:00 UTC): an afternoon in Kutai Timur. */
export const START_MS = Date.UTC(2026, 10, 23, 8, 0, 0);
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
/** The agent's default keepalive for 5-minute delivery: the broker's will comes 1.5 x this after silence. */
export const KEEPALIVE_MS = 330_000;

const KECAMATAN: Readonly<Record<string, string>> = {
  '64.08.01': 'Muara Ancalong',
  '64.08.02': 'Muara Wahau',
  '64.08.05': 'Sangatta Utara',
  '64.08.06': 'Sangkulirang',
  '64.08.10': 'Bengalon',
};

/** A registered site in Kutai Timur (Sangatta, 0.5 N 117.6 E), in the given kecamatan. */
export function kutimSite(siteId: string, kecamatanCode = '64.08.05', over: Partial<SiteRecord> = {}): SiteRecord {
  return {
    siteId,
    name: `Desa ${siteId}`,
    kabupatenCode: '64.08',
    kabupaten: 'Kutai Timur',
    kecamatanCode,
    kecamatan: KECAMATAN[kecamatanCode] ?? 'Kecamatan',
    desaCode: `${kecamatanCode}.2001`,
    desa: `Desa ${siteId}`,
    group: 'village_office',
    latitude: 0.51,
    longitude: 117.6,
    lowVoltageDisconnectVolts: null,
    sampleIntervalSec: null,
    deliveryIntervalSec: null,
    ...over,
  };
}

/** An agent as health sees it: boots, samples every minute, connects with growing epochs. */
export class SimSite {
  seq = 0;
  epoch = 0;
  boot = 0;
  bootAtMs: number;
  agentStartMs: number;
  previousRunClean: boolean | null = true;
  terminalStartMs: number;
  batteryVolts: number | null = null;
  linkUp = true;
  /** The dish's own outage cause while it reports one (a Starlink dish: `obstructed`, `searching`). */
  dishOutage: string | null = null;
  rttMs = 40;
  lossPct = 0;
  clockSynced = true;

  constructor(
    readonly siteId: string,
    startMs: number,
  ) {
    this.bootAtMs = startMs - 10 * HOUR;
    this.agentStartMs = startMs - 10 * HOUR;
    this.terminalStartMs = startMs - 100 * HOUR;
  }

  get bootId(): string {
    return `${this.siteId}-boot-${this.boot}`;
  }

  sample(atMs: number, over: Partial<HealthSample> = {}): HealthSample {
    this.seq++;
    return {
      seq: this.seq,
      bootId: this.bootId,
      atMs,
      clockSynced: this.clockSynced,
      uptimeMs: atMs - this.bootAtMs,
      agentUptimeMs: atMs - this.agentStartMs,
      linkUp: this.linkUp,
      previousRunClean: this.previousRunClean,
      terminalUptimeMs: atMs - this.terminalStartMs,
      terminalDown: false,
      routerUptimeMs: null,
      dishOutage: this.dishOutage,
      batteryVolts: this.batteryVolts,
      lowVoltageDisconnectVolts: null,
      underVoltageNow: false,
      underVoltageSinceBoot: false,
      rttMs: this.linkUp ? this.rttMs : null,
      lossPct: this.linkUp ? this.lossPct : 100,
      ...over,
    };
  }

  /** The Pi boots again: after a power cut (`clean` false) or a clean reboot. */
  reboot(atMs: number, clean: boolean): void {
    this.boot++;
    this.bootAtMs = atMs;
    this.agentStartMs = atMs;
    this.previousRunClean = clean;
  }

  birth(atMs: number): SiteStatus {
    this.epoch++;
    return this.status('online', 'connected', atMs);
  }

  /** The birth of the current connection again, as a broker hands out a retained message. */
  retainedBirth(atMs: number): SiteStatus {
    return this.status('online', 'connected', atMs);
  }

  will(): SiteStatus {
    return this.status('offline', 'connection_lost', this.agentStartMs);
  }

  shutdown(atMs: number): SiteStatus {
    return this.status('offline', 'shutdown', atMs);
  }

  private status(state: SiteStatus['state'], reason: SiteStatus['reason'], atMs: number): SiteStatus {
    const { siteId, epoch, bootId } = this;
    return simulatedStatus({ siteId, state, reason, epoch, atMs, bootId, spoolDepth: 0 });
  }
}

/** A sink that keeps what it is sent, and can be told to fail. */
export class RecordingSink implements AlertSink {
  readonly sent: Notification[] = [];
  failing = false;
  constructor(readonly name: SinkName) {}
  async send(n: Notification) {
    if (this.failing) return { ok: false, retryable: true, error: 'down' } as const;
    this.sent.push(n);
    return { ok: true } as const;
  }
}

/** The store roles the service persists to: memory by default, or a real store. */
export type HarnessStore = HealthStateStore & AlertOutbox & ControlsStore;

export interface Harness {
  now: number;
  readonly service: HealthService;
  readonly store: HarnessStore;
  readonly mqtt: RecordingSink;
  readonly webhook: RecordingSink;
  /** Ticks (and delivers) every `stepMs` until `toMs`, calling `each` before every tick. */
  runUntil(toMs: number, each?: (nowMs: number) => Promise<void> | void, stepMs?: number): Promise<void>;
  /** Notifications the webhook got about alerts of this kind (and site). */
  alerts(kind: string, siteId?: string): Notification[];
  incidents(): Notification[];
  /** A new service over the same store (or `store`, the same database opened again) and sinks: a collector restart. */
  restart(store?: HarnessStore): Promise<Harness>;
}

type ConfigInput = Parameters<typeof healthConfigSchema.parse>[0];

export interface HarnessOptions {
  readonly config?: ConfigInput;
  readonly facts?: readonly SiteDayFacts[];
  /** Real sinks (Alertmanager, a webhook); each replaces the recording sink of its name. */
  readonly sinks?: (nowMs: () => number) => AlertSink[];
  readonly repost?: (firing: readonly Notification[]) => Promise<unknown>;
  readonly startMs?: number;
  /** Jitter for retries; a fixed middle by default. */
  readonly random?: () => number;
  /** A real store (SQLite, PostgreSQL) instead of the memory one. */
  readonly store?: HarnessStore;
  /** One evaluator among collectors: a state saved this recently is handed over, not restarted. */
  readonly handoverWithinMs?: number;
}

interface Shared {
  readonly store: HarnessStore;
  readonly mqtt: RecordingSink;
  readonly webhook: RecordingSink;
  readonly now: number;
  readonly generation: number;
}

export async function harness(
  sites: readonly SiteRecord[],
  options: HarnessOptions = {},
  shared?: Shared,
): Promise<Harness> {
  const config: HealthConfig = healthConfigSchema.parse(options.config ?? {});
  const store = shared?.store ?? options.store ?? createMemoryHealthStore();
  const mqtt = shared?.mqtt ?? new RecordingSink('mqtt');
  const webhook = shared?.webhook ?? new RecordingSink('webhook');
  const generation = (shared?.generation ?? 0) + 1;
  const registry = createMemoryRegistry(sites);
  let counter = 0;
  const source: DailyFactsSource = { siteDays: async () => options.facts ?? [] };
  const h: Harness = {
    now: shared?.now ?? options.startMs ?? START_MS,
    service: undefined as unknown as HealthService,
    store,
    mqtt,
    webhook,
    async runUntil(toMs, each, stepMs = 5000) {
      while (h.now < toMs) {
        h.now = Math.min(toMs, h.now + stepMs);
        await each?.(h.now);
        await h.service.tick();
        await h.service.deliver();
      }
    },
    alerts: (kind, siteId) =>
      webhook.sent.filter((n) => n.alert?.kind === kind && (siteId === undefined || n.alert.siteId === siteId)),
    incidents: () => webhook.sent.filter((n) => n.incident !== null),
    restart: (reopened) => harness(sites, options, { store: reopened ?? store, mqtt, webhook, now: h.now, generation }),
  };
  const nowMs = () => h.now;
  // A real sink takes the place of the recording one of the same name.
  const extra = options.sinks?.(nowMs) ?? [];
  const replaced = new Set(extra.map((sink) => sink.name));
  const sinks = [...[mqtt, webhook].filter((sink) => !replaced.has(sink.name)), ...extra];
  const service = createHealthService({
    config,
    state: store,
    outbox: store,
    controls: store,
    registry,
    facts: source,
    sinks,
    repost: options.repost,
    nowMs,
    random: options.random ?? (() => 0.5),
    newId: (prefix) => `${prefix}/${h.now}-${++counter}-g${generation}`,
    sun: createSunCache(),
    log: silentLogger(),
    handoverWithinMs: options.handoverWithinMs,
  });
  Object.assign(h, { service });
  await service.start();
  await service.deliver();
  return h;
}

/** Samples a site every minute from `fromMs` up to `toMs`. */
export function minutes(site: SimSite, fromMs: number, toMs: number, over?: (atMs: number) => Partial<HealthSample>) {
  const list: HealthSample[] = [];
  for (let t = fromMs; t < toMs; t += MINUTE) list.push(site.sample(t, over?.(t)));
  return list;
}

/**
 * An agent and its broker connection over simulated time: it samples every minute while powered,
 * delivers every 5 minutes while connected (backlog included), publishes a birth on each new
 * connection; the broker publishes its will 1.5 x keepalive after the last packet of a dead
 * connection (docs/protocol.md).
 */
export class SimAgent {
  powered = true;
  link = true;
  connected = true;
  willSent = false;
  unsent: HealthSample[] = [];
  lastPacketMs: number;
  nextSampleMs: number;
  nextDeliveryMs: number;
  reconnectAtMs = 0;
  battery: ((atMs: number) => number) | null = null;

  constructor(
    readonly site: SimSite,
    startMs: number,
    phaseMs = 0,
    readonly deliveryMs = 5 * MINUTE,
  ) {
    this.lastPacketMs = startMs - deliveryMs + phaseMs;
    this.nextSampleMs = startMs;
    this.nextDeliveryMs = startMs + phaseMs;
  }

  async step(nowMs: number, service: HealthService): Promise<void> {
    while (this.powered && this.nextSampleMs <= nowMs) {
      this.site.linkUp = this.link;
      if (this.battery !== null) this.site.batteryVolts = Math.round(this.battery(this.nextSampleMs) * 100) / 100;
      this.unsent.push(this.site.sample(this.nextSampleMs));
      this.nextSampleMs += MINUTE;
    }
    const reachable = this.powered && this.link;
    if (this.connected && !reachable) this.connected = false;
    if (!this.connected && !this.willSent && nowMs >= this.lastPacketMs + 1.5 * KEEPALIVE_MS) {
      this.willSent = true;
      await service.onStatus(this.site.will(), nowMs);
    }
    if (!this.connected && reachable && nowMs >= this.reconnectAtMs) {
      this.connected = true;
      this.willSent = false;
      await service.onStatus(this.site.birth(nowMs), nowMs);
      await this.deliver(nowMs, service);
      this.nextDeliveryMs = nowMs + this.deliveryMs;
    }
    if (this.connected && nowMs >= this.nextDeliveryMs) {
      await this.deliver(nowMs, service);
      while (this.nextDeliveryMs <= nowMs) this.nextDeliveryMs += this.deliveryMs;
    }
  }

  private async deliver(nowMs: number, service: HealthService): Promise<void> {
    this.lastPacketMs = nowMs;
    if (this.unsent.length === 0) return;
    const batch = this.unsent;
    this.unsent = [];
    await service.onSamples(this.site.siteId, batch, nowMs);
  }

  powerCut(): void {
    this.powered = false;
  }

  /** Power returns: the Pi boots (the spool on disk kept what was not sent), the agent reconnects. */
  powerOn(atMs: number): void {
    this.powered = true;
    this.site.reboot(atMs, false);
    this.nextSampleMs = atMs + 30_000;
    this.reconnectAtMs = atMs + 60_000;
  }

  linkDown(): void {
    this.link = false;
  }

  linkRestored(atMs: number): void {
    this.link = true;
    this.reconnectAtMs = atMs + 10_000;
  }
}

/** Runs agents and ticks the service until `toMs`. */
export async function runAgents(h: Harness, agents: readonly SimAgent[], toMs: number, stepMs = 5000): Promise<void> {
  await h.runUntil(
    toMs,
    async (nowMs) => {
      for (const a of agents) await a.step(nowMs, h.service);
    },
    stepMs,
  );
}
