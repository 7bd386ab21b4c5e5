import { fixtureFleet, startStandInServer } from '@pantau/bench/dashboard-fixture';
import { dashboardAssetDir } from '@pantau/collector';

/**
 * The server the dashboard's browser test drives: today the stand-in API over a fixture fleet
 * (bench/src/dashboard-fixture), serving the built dashboard. Swapping it for the collector's own
 * HTTP app means implementing this one function over it; the test knows only this interface.
 */
export interface DashboardServer {
  readonly url: string;
  readonly admin: { readonly user: string; readonly password: string };
  readonly viewer: { readonly user: string; readonly password: string };
  /** Sites the fleet has (registered or only heard). */
  readonly siteCount: number;
  /** A site that is online now. */
  onlineSiteId(): string;
  /** Makes a site's state change as the health evaluator would, so `/api/events` reports it. */
  setOffline(siteId: string): Promise<void>;
  close(): Promise<void>;
}

export async function startDashboardServer(sites = 120): Promise<DashboardServer> {
  const admin = { user: 'noc-admin', password: 'admin-secret' };
  const viewer = { user: 'noc-viewer', password: 'viewer-secret' };
  const fleet = fixtureFleet(sites, 11, Date.now());
  const server = await startStandInServer({
    assetDir: dashboardAssetDir(),
    fleet,
    access: 'closed',
    users: [
      { name: admin.user, role: 'admin', password: admin.password },
      { name: viewer.user, role: 'viewer', password: viewer.password },
    ],
  });
  return {
    url: server.url,
    admin,
    viewer,
    siteCount: fleet.sites.length,
    onlineSiteId() {
      const site = fleet.sites.find((s) => s.state === 'online');
      if (site === undefined) throw new Error('the fixture fleet has no online site');
      return site.siteId;
    },
    async setOffline(siteId) {
      server.pushState(siteId, {
        state: 'offline',
        kinds: ['offline'],
        cause: 'power',
        sinceMs: Date.now(),
        needsAction: true,
      });
    },
    close: () => server.close(),
  };
}
