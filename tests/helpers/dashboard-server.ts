import { applyPendingAcks, commitOffline, startDashboardDemo } from '@pantau/bench/dashboard-demo';
import { dashboardAssetDir, type SiteRecord, type Store } from '@pantau/collector';

/**
 * The server the dashboard's browser test drives: the collector's own HTTP app (`buildHttpApp`) on
 * a free loopback port, in `closed` access mode with an admin and a viewer, over a SQLite store
 * filled with a simulated fleet (bench/src/dashboard-demo.ts: registry, samples and roll-ups of
 * the last days, health state and alerts), serving the built dashboard.
 */
export interface DashboardServer {
  readonly url: string;
  readonly admin: { readonly user: string; readonly password: string };
  readonly viewer: { readonly user: string; readonly password: string };
  readonly store: Store;
  readonly records: readonly SiteRecord[];
  /** Sites the fleet has (registered or only heard). */
  readonly siteCount: number;
  /** The first and last local day (YYYY-MM-DD, the report's time zone) the fleet's data covers whole. */
  readonly reportDays: { readonly from: string; readonly to: string };
  /** A site that is online now. */
  onlineSiteId(): string;
  /** Makes a site's state change as the health evaluator would, so `/api/events` reports it. */
  setOffline(siteId: string): Promise<void>;
  /** Applies the queued acknowledgements as the running collector's health pass does. */
  applyAcks(): Promise<string[]>;
  close(): Promise<void>;
}

/** The report's default time zone (Asia/Makassar) is 8 hours east of UTC, without summer time. */
const REPORT_ZONE_OFFSET_MS = 8 * 3_600_000;
const localDay = (ms: number) => new Date(ms + REPORT_ZONE_OFFSET_MS).toISOString().slice(0, 10);

export async function startDashboardServer(sites = 120): Promise<DashboardServer> {
  const admin = { user: 'noc-admin', password: 'admin-secret' };
  const viewer = { user: 'noc-viewer', password: 'viewer-secret' };
  const demo = await startDashboardDemo({
    dashboardDir: dashboardAssetDir(),
    sites,
    days: 4,
    mode: 'closed',
    users: [
      { name: admin.user, role: 'admin', password: admin.password },
      { name: viewer.user, role: 'viewer', password: viewer.password },
    ],
    eventsPollMs: 500,
  });
  const { fleet } = demo;
  const dayMs = 86_400_000;
  return {
    url: demo.url,
    admin,
    viewer,
    store: demo.store,
    records: fleet.records,
    siteCount: fleet.records.length + 1,
    // The fleet's first local day is partly filled and today is not over: the two days between.
    reportDays: { from: localDay(fleet.toMs - 2 * dayMs), to: localDay(fleet.toMs - dayMs) },
    onlineSiteId() {
      const site = fleet.records.find((r) => fleet.kindOf.get(r.siteId) === null);
      if (site === undefined) throw new Error('the demo fleet has no online site');
      return site.siteId;
    },
    setOffline: (siteId) => commitOffline(demo.store, siteId, Date.now()),
    applyAcks: () => applyPendingAcks(demo.store, Date.now()),
    close: () => demo.close(),
  };
}
