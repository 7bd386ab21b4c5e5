import type { HealthSample } from '@pantau/collector';
import type { SiteStatus } from '@pantau/shared';
import { SiteBattery } from './battery-model.js';
import type { FleetSite } from './fleet-sites.js';
import { simulatedStatus } from './site-status.js';
import type { LinkDown, LinkOrigin } from './truth-plan.js';

const MINUTE_MS = 60_000;
const DELIVERY_MS = 5 * MINUTE_MS;
/** The agent's default keepalive for 5-minute delivery; the broker's will comes 1.5 x this after silence. */
export const KEEPALIVE_MS = 330_000;
const BACKLOG_CHUNK = 120;
/** What the collector hears from a site: a status (birth, will) or a batch of samples. */
export type SiteMessage =
  | { readonly atMs: number; readonly siteId: string; readonly status: SiteStatus }
  | { readonly atMs: number; readonly siteId: string; readonly samples: HealthSample[] };

/** A real outage: the site could not be heard, from its cause until its agent connected again. */
export interface TruthOutage {
  readonly siteId: string;
  readonly startMs: number;
  endMs: number | null;
  readonly cause: 'power' | 'link';
  readonly origin: LinkOrigin | 'power_cut';
}

/**
 * One site as the NOC sees it: a Pi on a solar battery that samples every minute while powered and
 * keeps what it could not send (the spool), delivers every 5 minutes while its link and the broker
 * are up, reconnects with a random wait up to a minute, sends the newest batch first and then the
 * backlog; the broker publishes its will 1.5 x keepalive after its last packet (or when a new
 * connection takes the old one over). After a power cut the Pi boots with `previousRunClean: false`,
 * its clock sometimes unsynchronised for a while (the collector then re-bases sample times).
 */
export class SiteAgent {
  readonly battery: SiteBattery;
  private seq = 0;
  private boot = 0;
  private bootAtMs: number;
  private agentStartMs: number;
  private previousRunClean = true;
  private clockSyncAtMs: number;
  private epoch = 1;
  private connected = true;
  private lastPacketMs: number;
  /** The will of the connection that died has been published (or the connection closed cleanly). */
  private willPublished = true;
  private reachableSinceMs: number | null = null;
  private reconnectAtMs = 0;
  private nextSampleMs: number;
  private nextDeliveryMs: number;
  private live: HealthSample[] = [];
  private backlog: HealthSample[] = [];
  private linkIndex = 0;
  private outage: TruthOutage | null = null;

  constructor(
    readonly site: FleetSite,
    private readonly links: readonly LinkDown[],
    startMs: number,
    private readonly random: () => number,
    private readonly out: { message(m: SiteMessage): void; outage(o: TruthOutage): void },
  ) {
    const r = site.record;
    this.battery = new SiteBattery(
      site.batteryHours,
      site.disconnectVolts,
      r.latitude,
      r.longitude,
      0.6 + 0.4 * random(),
    );
    this.bootAtMs = startMs - 3 * 86_400_000 * random() - 3_600_000;
    this.agentStartMs = this.bootAtMs + 20_000;
    this.clockSyncAtMs = this.bootAtMs;
    this.nextSampleMs = startMs;
    this.nextDeliveryMs = startMs + site.phaseMs;
    this.lastPacketMs = this.nextDeliveryMs - DELIVERY_MS;
  }

  get siteId(): string {
    return this.site.record.siteId;
  }

  private get bootId(): string {
    return `${this.siteId}-b${this.boot}`;
  }

  /** The agent's first connection, at the start of the month. */
  birth(atMs: number): void {
    this.out.message({ atMs, siteId: this.siteId, status: this.status('online', 'connected', atMs) });
  }

  /** The link to the NOC at `atMs`, from the plan. */
  private linkAt(atMs: number): LinkDown | null {
    while (this.linkIndex < this.links.length && (this.links[this.linkIndex]?.toMs ?? 0) <= atMs) this.linkIndex++;
    const down = this.links[this.linkIndex];
    return down !== undefined && down.fromMs <= atMs ? down : null;
  }

  /** Everything the site does in (fromMs, toMs]: each minute's power and sample, then its connection. */
  step(fromMs: number, toMs: number, weather: number, brokerUp: boolean): void {
    for (let m = Math.floor(fromMs / MINUTE_MS + 1) * MINUTE_MS; m <= toMs; m += MINUTE_MS) {
      const wasPowered = this.battery.powered;
      this.battery.step(m, weather);
      if (wasPowered && !this.battery.powered) this.lost(m, 'power', 'power_cut');
      if (!wasPowered && this.battery.powered) this.booted(m);
    }
    while (this.battery.powered && this.nextSampleMs <= toMs) {
      if (this.nextSampleMs >= this.agentStartMs) this.takeSample(this.nextSampleMs);
      this.nextSampleMs += MINUTE_MS;
    }
    const link = this.linkAt(toMs);
    const reachable = this.battery.powered && link === null && brokerUp && toMs >= this.agentStartMs;
    if (this.connected && !reachable && this.battery.powered && link !== null) {
      this.lost(Math.max(link.fromMs, fromMs), 'link', link.origin);
    }
    if (!this.connected && !this.willPublished && brokerUp && toMs >= this.lastPacketMs + 1.5 * KEEPALIVE_MS) {
      this.publishWill(this.lastPacketMs + 1.5 * KEEPALIVE_MS);
    }
    if (!reachable) this.reachableSinceMs = null;
    else if (this.reachableSinceMs === null) {
      this.reachableSinceMs = toMs;
      if (!this.connected) this.reconnectAtMs = Math.max(this.reconnectAtMs, toMs + 1000 + 59_000 * this.random());
    }
    if (!this.connected && reachable && toMs >= this.reconnectAtMs) this.reconnect(Math.min(toMs, this.reconnectAtMs));
    if (!this.connected) return;
    if (this.nextDeliveryMs <= toMs) {
      const atMs = this.nextDeliveryMs;
      while (this.nextDeliveryMs <= toMs) this.nextDeliveryMs += DELIVERY_MS;
      this.send(atMs, this.live.splice(0));
    }
    if (this.backlog.length > 0) this.send(toMs, this.backlog.splice(0, BACKLOG_CHUNK));
  }

  /** The broker stopped (a NOC restart): every connection drops; its will goes out as it stops. */
  brokerStopped(): SiteStatus | null {
    const will = this.willPublished ? null : this.status('offline', 'connection_lost', this.agentStartMs);
    this.willPublished = true;
    if (this.connected) {
      this.connected = false;
      this.reachableSinceMs = null;
    }
    return will;
  }

  private takeSample(atMs: number): void {
    this.seq++;
    const link = this.linkAt(atMs);
    const volts = this.site.batterySensor ? this.battery.volts(this.random) : null;
    this.live.push({
      seq: this.seq,
      bootId: this.bootId,
      atMs,
      clockSynced: atMs >= this.clockSyncAtMs,
      uptimeMs: atMs - this.bootAtMs,
      agentUptimeMs: atMs - this.agentStartMs,
      linkUp: link === null ? true : !link.seenDown,
      previousRunClean: this.previousRunClean,
      terminalUptimeMs: atMs - this.bootAtMs + 600_000,
      terminalDown: false,
      routerUptimeMs: null,
      dishOutage: null,
      batteryVolts: volts,
      lowVoltageDisconnectVolts: this.site.record.lowVoltageDisconnectVolts === null && volts !== null ? 11.5 : null,
      underVoltageNow: false,
      underVoltageSinceBoot: false,
      rttMs: link === null ? 40 + 20 * this.random() : null,
      lossPct: link === null ? 0 : 100,
    });
  }

  /** The connection died at `atMs` for a real reason: an outage of the site begins. */
  private lost(atMs: number, cause: 'power' | 'link', origin: TruthOutage['origin']): void {
    if (this.outage === null) {
      this.outage = { siteId: this.siteId, startMs: atMs, endMs: null, cause, origin };
      this.out.outage(this.outage);
    }
    if (this.connected) {
      this.connected = false;
      this.willPublished = false;
    }
  }

  private booted(atMs: number): void {
    this.boot++;
    this.bootAtMs = atMs;
    this.agentStartMs = atMs + 20_000;
    this.previousRunClean = false;
    // A third of boots find NTP unreachable for a while (blocked, or the link slow to come up).
    this.clockSyncAtMs = atMs + (this.random() < 0.33 ? (5 + 85 * this.random()) * MINUTE_MS : MINUTE_MS);
    this.nextSampleMs = this.agentStartMs + 10_000;
    // The agent waits up to startDelayMaxMs (30 s) before its first connection.
    this.reconnectAtMs = this.agentStartMs + 30_000 * this.random();
  }

  private reconnect(atMs: number): void {
    // A new connection with the same client id takes the old one over: the broker publishes the old will.
    if (!this.willPublished) this.publishWill(atMs);
    this.connected = true;
    this.epoch++;
    this.out.message({ atMs, siteId: this.siteId, status: this.status('online', 'connected', atMs) });
    if (this.outage !== null) {
      this.outage.endMs = atMs;
      this.outage = null;
    }
    // The newest batch first, then the backlog oldest first.
    const unsent = [...this.backlog, ...this.live];
    this.live = [];
    this.backlog = unsent.slice(0, Math.max(0, unsent.length - 5));
    this.send(atMs, unsent.slice(-5));
  }

  private publishWill(atMs: number): void {
    this.willPublished = true;
    this.out.message({ atMs, siteId: this.siteId, status: this.status('offline', 'connection_lost', atMs) });
  }

  private send(atMs: number, samples: HealthSample[]): void {
    this.lastPacketMs = atMs;
    if (samples.length === 0) return;
    this.out.message({ atMs, siteId: this.siteId, samples: rebased(samples, atMs) });
  }

  private status(state: SiteStatus['state'], reason: SiteStatus['reason'], atMs: number): SiteStatus {
    const { siteId, epoch, bootId } = this;
    return simulatedStatus({ siteId, state, reason, epoch, atMs, bootId, spoolDepth: this.backlog.length });
  }
}

/**
 * The times the collector files unsynchronised samples under when it knows no offset for their boot
 * (docs/storage.md, "Clock correction"): the batch's newest sample of that boot taken at receipt.
 */
function rebased(samples: HealthSample[], receivedMs: number): HealthSample[] {
  if (samples.every((s) => s.clockSynced)) return samples;
  const newest = new Map<string, number>();
  for (const s of samples) newest.set(s.bootId, Math.max(newest.get(s.bootId) ?? 0, s.uptimeMs));
  return samples.map((s) =>
    s.clockSynced ? s : { ...s, atMs: receivedMs - ((newest.get(s.bootId) ?? s.uptimeMs) - s.uptimeMs) },
  );
}
