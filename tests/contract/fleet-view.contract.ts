import { newAlertRecord, newNocState, newSiteHealth, type Store } from '@pantau/collector';
import { describe, expect, it } from 'vitest';
import { batch, freshStoreEachTest, insert, synced } from './store-fixtures.js';

/** The dashboard's narrow reads (FleetView). */
export function fleetViewContract(name: string, open: () => Promise<Store>): void {
  describe(`FleetView contract: ${name}`, () => {
    let store: Store;
    freshStoreEachTest(open, (s) => {
      store = s;
    });

    async function seed() {
      await insert(
        store,
        batch('site-a', [
          synced(1, 1, { probes: { power: { batteryVolts: 12.5 } } }),
          synced(2, 2, {
            probes: {
              power: { batteryVolts: 12.25 },
              latency: { targets: [{ role: 'internet', host: 'i', rttAvgMs: 48 }] },
            },
          }),
        ]),
        5_000,
      );
      await insert(store, batch('site-b', [synced(1, 1)]), 6_000);
      const firing = { ...newAlertRecord('site-a', 'offline', 100), phase: 'firing' as const, cause: 'power' as const };
      const resolved = newAlertRecord('site-b', 'degraded', 50);
      await store.commit({
        sites: [{ ...newSiteHealth('site-a', { deliveryMs: 300_000, sampleMs: 60_000 }), lastHeardMs: 5_000 }],
        noc: newNocState(0),
        alerts: [firing, resolved],
        incidents: [
          {
            id: 'inc-1',
            kind: 'area_offline',
            scope: 'kecamatan',
            areaCode: '64.08.05',
            areaName: 'Sangatta Utara',
            cause: 'power',
            members: [{ siteId: 'site-a', sinceMs: 100, recoveredAtMs: null, notifiedAlone: false }],
            startsAtMs: 100,
            lastOnsetMs: 100,
            endsAtMs: null,
            values: {},
            notified: 'firing',
            notifiedMembers: 1,
          },
        ],
        transitions: [],
        outbox: [],
        savedAtMs: 1,
      });
      return { firing, resolved };
    }

    it("gives each heard site's last-seen time and latest battery and internet round trip", async () => {
      await seed();
      const rows = (await store.fleetLatest()).sort((a, b) => a.siteId.localeCompare(b.siteId));
      expect(rows).toEqual([
        { siteId: 'site-a', lastSeenMs: 5_000, batteryVolts: 12.25, rttInternetMs: 48 },
        { siteId: 'site-b', lastSeenMs: 6_000, batteryVolts: null, rttInternetMs: null },
      ]);
    });

    it('gives the alerts not resolved, or all of them, and the open incidents', async () => {
      const { firing, resolved } = await seed();
      expect(await store.fleetAlerts(false)).toEqual([firing]);
      expect((await store.fleetAlerts(true)).map((a) => a.key).sort()).toEqual([firing.key, resolved.key].sort());
      expect((await store.openIncidentList()).map((i) => i.id)).toEqual(['inc-1']);
    });

    it("gives one site's health, summary and alerts, and nulls for a site never heard", async () => {
      const { firing } = await seed();
      const view = await store.siteView('site-a');
      expect(view.health?.lastHeardMs).toBe(5_000);
      expect(view.summary).toMatchObject({ siteId: 'site-a', samples: 2, lastSample: { seq: 2 } });
      expect(view.alerts).toEqual([firing]);
      expect(await store.siteView('nobody')).toEqual({ health: null, summary: null, alerts: [] });
    });
  });
}
