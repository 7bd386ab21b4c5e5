import type { AlertCause, AlertKind } from '@pantau/shared';
import type { RegisteredSite } from '../registry/site-registry.js';
import type { SiteGroup } from './config.js';

/** What was known of a site just before it went silent. */
export interface BeforeEvidence {
  readonly lastSampleAtMs: number | null;
  readonly bootId: string | null;
  batteryVolts: number | null;
  /** Volts per hour over the last readings (negative: discharging); null without enough readings. */
  batteryTrendVph: number | null;
  readonly disconnectVolts: number | null;
  underVoltage: boolean;
  readonly linkDown: boolean;
  readonly terminalDown: boolean;
  /** The dish's own outage cause in the last sample (absent in state saved before it was kept). */
  readonly dishOutage?: string | null;
}

/** Samples taken while the site was unheard, delivered after it came back (backfill). */
export interface DuringEvidence {
  samples: number;
  /** Of those, from the boot that was running when the silence began: the Pi kept running. */
  sameBoot: number;
  linkDown: number;
  terminalDown: number;
  /** Samples in which the dish reported an outage, and of those, an obstructed sky (absent: none). */
  dishOutage?: number;
  dishObstructed?: number;
  firstLinkDownAtMs: number | null;
  lastSameBootAtMs: number | null;
}

/** What the site said once it was back. */
export interface AfterEvidence {
  returned: boolean;
  newBoot: boolean | null;
  previousRunClean: boolean | null;
  /** The agent process started after the silence began, on the same boot. */
  agentRestarted: boolean | null;
  /** The terminal's uptime is shorter than the time since the silence began. */
  terminalRebooted: boolean | null;
  /** The same of the router (absent in state saved before it was kept). */
  routerRebooted?: boolean | null;
  underVoltageSinceBoot: boolean | null;
}

export type OfflineSource = 'will' | 'shutdown' | 'silence';

export interface OfflineEpisode {
  readonly id: string;
  readonly source: OfflineSource;
  /** Best estimate of when the outage began; revised by backfill. */
  onsetMs: number;
  readonly detectedMs: number;
  endMs: number | null;
  readonly inMaintenance: boolean;
  readonly before: BeforeEvidence;
  readonly during: DuringEvidence;
  readonly after: AfterEvidence;
  readonly firstCause: AlertCause;
  readonly firstDetail: string;
  cause: AlertCause;
  detail: string;
}

/** One kind's condition on a site, as the engine judges it now (tolerances come later, in policy). */
export interface Condition {
  readonly cause: AlertCause;
  readonly detail: string;
  readonly sinceMs: number;
  readonly values: Readonly<Record<string, number | string>>;
}

export interface SiteStatusView {
  readonly state: 'online' | 'offline';
  readonly reason: 'connected' | 'connection_lost' | 'shutdown';
  readonly epoch: number;
  readonly receivedMs: number;
}

/** Everything health keeps about one site; plain data, so it persists as JSON. */
export interface SiteHealth {
  readonly siteId: string;
  registered: boolean;
  group: SiteGroup;
  kabupatenCode: string | null;
  kecamatanCode: string | null;
  latitude: number | null;
  longitude: number | null;
  registryDisconnectVolts: number | null;
  /**
   * When the site was decommissioned (the registry's mark); null or absent (state saved before
   * the mark existed) while in service. A decommissioned site is not judged.
   */
  decommissionedMs?: number | null;
  expectedDeliveryMs: number;
  sampleIntervalMs: number;
  /** Collector time of the last message from the site (telemetry or an online status). */
  lastHeardMs: number | null;
  /** Receipt times of the last few telemetry messages while online (the site's real rhythm). */
  arrivalGapsMs: number[];
  /** Their median: a site delivering less often than registered is judged by its own rhythm. */
  learnedIntervalMs: number;
  status: SiteStatusView | null;
  /** A will waiting `willSettleSec` before it counts. */
  pendingWill: { epoch: number; receivedMs: number } | null;
  /** Held by a NOC-side incident: the site's silence or will is not judged as its own outage. */
  heldBy: string | null;
  /** Silence is counted from here at the earliest (set when a hold ends). */
  judgeFromMs: number | null;
  offline: OfflineEpisode | null;
  lastEpisode: OfflineEpisode | null;
  /** The newest live sample's figures. */
  last: {
    seq: number;
    bootId: string;
    atMs: number;
    uptimeMs: number;
    agentUptimeMs: number | null;
    terminalUptimeMs: number | null;
    linkUp: boolean | null;
    terminalDown: boolean;
    dishOutage?: string | null;
    underVoltageNow: boolean | null;
    disconnectVolts: number | null;
  } | null;
  /** Battery readings [atMs, volts], at least a few minutes apart, newest last. */
  battery: [number, number][];
  /** Recent samples [atMs, flags] for degradation: bit 0 slow, 1 lossy, 2 link down. */
  quality: [number, number][];
  /** First sample time of the current run of unsynchronised samples of one boot, by uptime. */
  unsyncedSinceUptimeMs: number | null;
  unsyncedBootId: string | null;
  /** The latest daily judgement (underused, completeness). */
  usage: { underused: Condition | null; samplesMissing: Condition | null };
  conditions: Partial<Record<AlertKind, Condition>>;
}

export function newSiteHealth(siteId: string, defaults: { deliveryMs: number; sampleMs: number }): SiteHealth {
  return {
    siteId,
    registered: false,
    group: 'other',
    kabupatenCode: null,
    kecamatanCode: null,
    latitude: null,
    longitude: null,
    registryDisconnectVolts: null,
    decommissionedMs: null,
    expectedDeliveryMs: defaults.deliveryMs,
    sampleIntervalMs: defaults.sampleMs,
    lastHeardMs: null,
    arrivalGapsMs: [],
    learnedIntervalMs: 0,
    status: null,
    pendingWill: null,
    heldBy: null,
    judgeFromMs: null,
    offline: null,
    lastEpisode: null,
    last: null,
    battery: [],
    quality: [],
    unsyncedSinceUptimeMs: null,
    unsyncedBootId: null,
    usage: { underused: null, samplesMissing: null },
    conditions: {},
  };
}

export function isDecommissioned(site: SiteHealth): boolean {
  return (site.decommissionedMs ?? null) !== null;
}

/** Takes a registry record's facts; the site's evidence is kept. */
export function applyRegistration(
  site: SiteHealth,
  record: RegisteredSite | null,
  defaults: { deliveryMs: number; sampleMs: number },
): void {
  site.registered = record !== null;
  site.group = record?.group ?? 'other';
  site.kabupatenCode = record?.kabupatenCode ?? null;
  site.kecamatanCode = record?.kecamatanCode ?? null;
  site.latitude = record?.latitude ?? null;
  site.longitude = record?.longitude ?? null;
  site.registryDisconnectVolts = record?.lowVoltageDisconnectVolts ?? null;
  site.decommissionedMs = record?.decommissionedMs ?? null;
  site.expectedDeliveryMs = (record?.deliveryIntervalSec ?? 0) * 1000 || defaults.deliveryMs;
  site.sampleIntervalMs = (record?.sampleIntervalSec ?? 0) * 1000 || defaults.sampleMs;
}
