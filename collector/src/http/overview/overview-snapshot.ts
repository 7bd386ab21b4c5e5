import { guard, type Logger } from '@pantau/shared';
import type { AlertRecord } from '../../alerts/alert-record.js';
import type { SiteRecord } from '../../registry/site-record.js';
import type { RegisteredSite } from '../../registry/site-registry.js';
import type { Store } from '../../store/store.js';
import { compareRows, type OverviewRow, overviewRow, sameRow, type Usage24h } from './overview-row.js';

export type OverviewSource = Pick<Store, 'list' | 'rollupsInRange' | 'fleetAlerts' | 'fleetLatest'>;

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
  readonly records: ReadonlyMap<string, RegisteredSite>;
  /** The alerts not resolved, the rows were built from. */
  readonly alerts: readonly AlertRecord[];
}

export interface OverviewCacheOptions {
  /** A snapshot older than this is rebuilt (served meanwhile, so a polling screen never waits). */
  readonly maxAgeMs: number;
  /**
   * A snapshot older than this is not served: the request waits for a new one. Without it, the
   * first request after a quiet hour would show the fleet as it was an hour ago.
   */
  readonly maxStaleMs: number;
  /** The registry (names, areas) is read again after this long; it changes by an import. */
  readonly registryMaxAgeMs: number;
  /** The 24-hour use per site is read again after this long (roll-ups change hourly). */
  readonly usageMaxAgeMs: number;
  /** Sites whose roll-ups are read in one call, so one read stays short. */
  readonly usageSliceSites: number;
}

/** What `serve` uses: a wall screen polls a snapshot at most 2 s old, never one older than 10 s. */
export const SERVE_OVERVIEW_CACHE: OverviewCacheOptions = {
  maxAgeMs: 2_000,
  maxStaleMs: 10_000,
  registryMaxAgeMs: 30_000,
  usageMaxAgeMs: 300_000,
  usageSliceSites: 100,
};

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
 * A value read again in the background once older than `maxAgeMs`; the first read, and one older
 * than twice that (nobody asked for a while), are waited for.
 */
function slowPart<T>(read: () => Promise<T>, maxAgeMs: number, monotonicMs: () => number, log: Logger, event: string) {
  let value: { readAtMs: number; v: T } | null = null;
  let reading: Promise<void> | null = null;
  const refresh = async () => {
    const startedMs = monotonicMs();
    const v = await read();
    value = { readAtMs: startedMs, v };
  };
  return {
    async get(): Promise<T> {
      if (value === null || monotonicMs() - value.readAtMs > 2 * maxAgeMs) await refresh();
      else if (monotonicMs() - value.readAtMs > maxAgeMs && reading === null) {
        reading = guard(log, event, refresh)().finally(() => {
          reading = null;
        });
      }
      if (value === null) throw new Error(`${event}: nothing read`);
      return value.v;
    },
    /** Read again now, waited for (after a write that changes it). */
    refresh,
  };
}

/**
 * The overview's read path: each snapshot reads the alerts not resolved and one narrow row per
 * heard site (two small queries, whatever the fleet's size); the registry and the 24-hour use
 * change rarely and are read again in the background, the use a slice of sites at a time. Requests
 * are served from the newest snapshot; a stale one is rebuilt in the background, and concurrent
 * requests share one build.
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

  const registry = slowPart(
    () => source.list(),
    options.registryMaxAgeMs,
    deps.monotonicMs,
    deps.log,
    'overview_registry',
  );
  let usageIds: readonly string[] = [];
  const usage = slowPart(
    async () => {
      const toMs = deps.nowMs();
      const bySite = new Map<string, Usage24h>();
      const ids = [...usageIds].sort();
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
      return bySite;
    },
    options.usageMaxAgeMs,
    deps.monotonicMs,
    deps.log,
    'overview_usage',
  );

  async function build(): Promise<OverviewSnapshot> {
    const [records, alerts, latest] = await Promise.all([
      registry.get(),
      source.fleetAlerts(false),
      source.fleetLatest(),
    ]);
    const ids = new Set<string>([...records.map((r) => r.siteId), ...latest.map((s) => s.siteId)]);
    usageIds = [...ids];
    const usageBySite = await usage.get();
    const recordById = new Map(records.map((r) => [r.siteId, r]));
    const latestById = new Map(latest.map((s) => [s.siteId, s]));
    const alertsById = new Map<string, AlertRecord[]>();
    for (const a of alerts) {
      const list = alertsById.get(a.siteId);
      if (list === undefined) alertsById.set(a.siteId, [a]);
      else list.push(a);
    }
    const before = current?.byId;
    const rows = [...ids].map((siteId) => {
      const row = overviewRow({
        siteId,
        record: recordById.get(siteId) ?? null,
        latest: latestById.get(siteId) ?? null,
        alerts: alertsById.get(siteId) ?? [],
        usage: usageBySite.get(siteId) ?? null,
      });
      // An unchanged row keeps its object, so its JSON is not made again.
      const old = before?.get(siteId);
      return old !== undefined && sameRow(old, row) ? old : row;
    });
    rows.sort(compareRows);
    return {
      generatedAtMs: deps.nowMs(),
      rows,
      byId: new Map(rows.map((r) => [r.siteId, r])),
      areas: areasOf(records),
      records: recordById,
      alerts,
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
    /** The newest snapshot; a call waits for a rebuild only when there is none, or it is too stale. */
    async snapshot(): Promise<OverviewSnapshot> {
      if (current === null) return rebuild();
      const ageMs = deps.monotonicMs() - builtAtMs;
      if (ageMs > options.maxStaleMs) return rebuild();
      if (ageMs > options.maxAgeMs) {
        rebuild().catch((error: unknown) =>
          deps.log.warn({ event: 'overview_rebuild_failed', err: error }, 'overview snapshot not rebuilt'),
        );
      }
      return current;
    },
    /** A fresh snapshot now, the registry read again too (after a write). */
    async fresh(): Promise<OverviewSnapshot> {
      await registry.refresh();
      await building;
      return rebuild();
    },
  };
}
export type OverviewCache = ReturnType<typeof createOverviewCache>;
