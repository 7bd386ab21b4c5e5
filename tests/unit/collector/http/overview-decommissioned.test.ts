import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore, type Store } from '@pantau/collector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_NOW_MS, type ApiFleet, apiApp, fillApiFleet } from '../../../helpers/api-fleet.js';

const dir = mkdtempSync(join(tmpdir(), 'pantau-api-decom-'));
let store: Store;
let fleet: ApiFleet;
let app: ReturnType<typeof apiApp>;
const DECOMMISSIONED_MS = API_NOW_MS - 3_600_000;

beforeAll(async () => {
  store = openSqliteStore(join(dir, 'pantau.sqlite'));
  fleet = await fillApiFleet(store);
  // The offline site (its alert still firing in the store) and one never heard are taken out of service.
  await store.decommission(fleet.offlineId, DECOMMISSIONED_MS);
  await store.decommission(fleet.records.at(-1)?.siteId ?? '', DECOMMISSIONED_MS);
  app = apiApp(store, { mode: 'demo' });
});
afterAll(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a decommissioned site in the overview and the API', () => {
  it('shows as decommissioned, last, never needing action, and counted neither offline nor unknown', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/overview' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const row = body.sites.find((s: { siteId: string }) => s.siteId === fleet.offlineId);
    expect(row).toMatchObject({
      state: 'decommissioned',
      needsAction: false,
      kinds: [],
      sinceMs: DECOMMISSIONED_MS,
      registered: true,
    });
    expect(body.sites.some((s: { needsAction: boolean }) => s.needsAction)).toBe(false);
    expect(body.sites.slice(-2).map((s: { state: string }) => s.state)).toEqual(['decommissioned', 'decommissioned']);
    expect(body.counts).toMatchObject({ offline: 0, unknown: 0, decommissioned: 2, total: fleet.records.length + 1 });
  });

  it('filters by the state decommissioned', async () => {
    const body = (await app.inject({ method: 'GET', url: '/api/overview?state=decommissioned' })).json();
    expect(body.sites.map((s: { siteId: string }) => s.siteId).sort()).toEqual(
      [fleet.offlineId, fleet.records.at(-1)?.siteId].sort(),
    );
  });

  it('gives no pantau_site_up series for it, so no rule on it pages anyone', async () => {
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toContain(`pantau_site_up{site_id="${fleet.ackedId}"} 1`);
    expect(text).not.toContain(`pantau_site_up{site_id="${fleet.offlineId}"}`);
  });
});
