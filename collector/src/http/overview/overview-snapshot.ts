import { guard, type Logger } from '@pantau/shared';
import type { AlertRecord } from '../../alerts/alert-record.js';
import type { HealthSnapshotData } from '../../health/ports.js';
import type { SiteHealth } from '../../health/site-state.js';
import type { SiteRecord } from '../../registry/site-record.js';
import type { SiteSummary } from '../../store/records.js';
import type { Store } from '../../store/store.js';
import { compareRows, type OverviewRow, overviewRow, type Usage24h } from './overview-row.js';

export type OverviewSource = Pick<Store, 'load' | 'list' | 'listSites' | 'rollupsInRange'>;

export interface AreaChoice {
  readonly kabupatenCode: string;
  readonly kabupaten: string;
  readonly kecamatan: { code: string; name: string }[];
}

/** The whole fleet's overview rows at one moment, sorted; filters and counts are done on it. */
export interface OverviewSnapshot {
  readonly generatedAtMs: number;
  readonly rows: readonly OverviewRow[];
  readonly byId: ReadonlyMap<string, OverviewRow>;
  readonly areas: readonly AreaChoice[];
  readonly records: ReadonlyMap<string, SiteRecord>;
  /** What the rows were built from, for the site detail and the alert lists. */
  readonly health: HealthSnapshotData;
  readonly healthById: ReadonlyMap<string, SiteHealth>;
  readonly summaries: ReadonlyMap<string, SiteSummary>;
}

export interface OverviewCacheOptions {
  /** A snapshot older than this is rebuilt (served meanwhile: a request never waits for it). */
  readonly maxAgeMs: number;
  /** The 24-hour use per site is read again after this long (roll-ups change hourly). */
  readonly usageMaxAgeMs: number;
  /** Sites whose roll-ups are read in one call, so one read stays short. */
  readonly usageSliceSites: number;
}

const DAY_MS = 86_400_000;

function areasOf(records: readonly SiteRecord[]): AreaChoice[] {
  const byKab = new Map<string, { name: string; kec: Map<string, string> }>();
  for (const r of records) {
    let kab = byKab.get(r.kabupatenCode);
    if (kab === undefined) {
      kab = { name: r.kabupaten, kec: new Map() };
      byKab.set(r.kabupatenCode, kab);
    }
    kab.kec.set(r.kecamatanCode, r.kecamatan);
  }
  return [...byKab.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, kab]) => ({
      kabupatenCode: code,
      kabupaten: kab.name,
      kecamatan: [...kab.kec.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([c, name]) => ({ code: c, name })),
    }));
}

/**
 * The overview's read path: one read of each source (health state, registry, latest figures) per
 * snapshot, whatever the fleet's size; the 24-hour use is read less often, a slice of sites at a
 * time. Requests are served from the newest snapshot; a stale one is rebuilt in the background, and
 * concurrent requests share one build.
 */
export function createOverviewCache(
  source: OverviewSource,
  options: OverviewCacheOptions,
  deps: { readonly nowMs: () => number; readonly monotonicMs: () => number; readonly log: Logger },
) {
  let current: OverviewSnapshot | null = null;
  /** When `current` was built, on the clock that never jumps. */
  let builtAtMs = 0;
  let building: Promise<OverviewSnapshot> | null = null;
  let usage: { readAtMs: number; bySite: Map<string, Usage24h> } | null = null;
  let usageReading: Promise<void> | null = null;

  async function readUsage(siteIds: readonly string[]): Promise<void> {
    const toMs = deps.nowMs();
    const bySite = new Map<string, Usage24h>();
    const ids = [...siteIds].sort();
    for (let i = 0; i < ids.length; i += options.usageSliceSites) {
      const slice = ids.slice(i, i + options.usageSliceSites);
      for (const r of await source.rollupsInRange('hour', toMs - DAY_MS, toMs, slice)) {
        const u = bySite.get(r.siteId) ?? { clientsMax: null, downBytes: 0, upBytes: 0 };
        bySite.set(r.siteId, {
          clientsMax: r.clientsMax === null ? u.clientsMax : Math.max(u.clientsMax ?? 0, r.clientsMax),
          downBytes: u.downBytes + r.clientRxBytes,
          upBytes: u.upBytes + r.clientTxBytes,
        });
      }
    }
    usage = { readAtMs: deps.monotonicMs(), bySite };
  }

  async function build(): Promise<OverviewSnapshot> {
    const [health, records, summaries] = await Promise.all([source.load(), source.list(), source.listSites()]);
    const ids = new Set<string>([...records.map((r) => r.siteId), ...summaries.map((s) => s.siteId)]);
    if (usage === null) await readUsage([...ids]);
    else if (deps.monotonicMs() - usage.readAtMs > options.usageMaxAgeMs && usageReading === null) {
      usageReading = guard(deps.log, 'overview_usage', () => readUsage([...ids]))().finally(() => {
        usageReading = null;
      });
    }
    const recordById = new Map(records.map((r) => [r.siteId, r]));
    const healthById = new Map(health.sites.map((h) => [h.siteId, h]));
    const summaryById = new Map(summaries.map((s) => [s.siteId, s]));
    const alertsById = new Map<string, AlertRecord[]>();
    for (const a of health.alerts) {
      if (a.phase === 'resolved') continue;
      const list = alertsById.get(a.siteId);
      if (list === undefined) alertsById.set(a.siteId, [a]);
      else list.push(a);
    }
    const rows = [...ids].map((siteId) =>
      overviewRow({
        siteId,
        record: recordById.get(siteId) ?? null,
        health: healthById.get(siteId) ?? null,
        summary: summaryById.get(siteId) ?? null,
        alerts: alertsById.get(siteId) ?? [],
        usage: usage?.bySite.get(siteId) ?? null,
      }),
    );
    rows.sort(compareRows);
    return {
      generatedAtMs: deps.nowMs(),
      rows,
      byId: new Map(rows.map((r) => [r.siteId, r])),
      areas: areasOf(records),
      records: recordById,
      health,
      healthById,
      summaries: summaryById,
    };
  }

  function rebuild(): Promise<OverviewSnapshot> {
    const startedMs = deps.monotonicMs();
    building ??= build()
      .then((snapshot) => {
        current = snapshot;
        builtAtMs = startedMs;
        return snapshot;
      })
      .finally(() => {
        building = null;
      });
    return building;
  }

  return {
    /** The newest snapshot; the first call waits for one, later calls never wait for a rebuild. */
    async snapshot(): Promise<OverviewSnapshot> {
      if (current === null) return rebuild();
      if (deps.monotonicMs() - builtAtMs > options.maxAgeMs) {
        rebuild().catch((error: unknown) =>
          deps.log.warn({ event: 'overview_rebuild_failed', err: error }, 'overview snapshot not rebuilt'),
        );
      }
      return current;
    },
    /** A fresh snapshot now (after a write, or when a caller must see the latest state). */
    fresh: rebuild,
  };
}
export type OverviewCache = ReturnType<typeof createOverviewCache>;
