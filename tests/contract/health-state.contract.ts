import type { HealthStateStore } from '@pantau/collector';
import { describe, expect, it } from 'vitest';
import { alert, change, freshEachTest, incident, siteHealth, T0, transition } from './health-fixtures.js';

type Open = () => Promise<HealthStateStore & { close(): Promise<void> }>;

/** The health state role (HealthStateStore): one commit holds every change of one event. */
export function healthStateContract(name: string, open: Open): void {
  describe(`HealthStateStore contract: ${name}`, () => {
    let store: HealthStateStore;
    freshEachTest(open, (s) => {
      store = s;
    });

    it('loads nothing on a first start', async () => {
      expect(await store.load()).toEqual({ sites: [], noc: null, alerts: [], openIncidents: [], savedAtMs: null });
    });

    it('loads what was committed: the latest of each site and alert, open incidents only', async () => {
      const noc = { ...change().noc, liveSites: 2 };
      await store.commit(
        change({
          sites: [siteHealth('a', T0), siteHealth('b', T0)],
          alerts: [alert('a', 'pending')],
          incidents: [incident('inc-1', null), incident('inc-2', null)],
          noc,
        }),
      );
      await store.commit(
        change({
          sites: [siteHealth('a', T0 + 60_000)],
          alerts: [alert('a', 'firing')],
          incidents: [incident('inc-2', T0 + 5000)],
          savedAtMs: T0 + 60_000,
          noc,
        }),
      );
      const loaded = await store.load();
      expect(loaded.sites.map((s) => [s.siteId, s.lastHeardMs]).sort()).toEqual([
        ['a', T0 + 60_000],
        ['b', T0],
      ]);
      expect(loaded.sites.find((s) => s.siteId === 'a')).toEqual(siteHealth('a', T0 + 60_000));
      expect(loaded.alerts).toEqual([alert('a', 'firing')]);
      expect(loaded.openIncidents).toEqual([incident('inc-1', null)]);
      expect(loaded.noc).toEqual(noc);
      expect(loaded.savedAtMs).toBe(T0 + 60_000);
    });

    it("keeps a site's history in order with its first and revised causes, the NOC's apart", async () => {
      await store.commit(
        change({
          transitions: [transition('a', 'began', T0), transition(null, 'began', T0 + 1), transition('b', 'began', T0)],
        }),
      );
      await store.commit(
        change({
          transitions: [transition('a', 'ended', T0 + 600_000), transition('a', 'cause_revised', T0 + 600_000, 'link')],
        }),
      );
      const history = await store.history('a', T0, T0 + 600_001);
      expect(history).toEqual([
        transition('a', 'began', T0),
        transition('a', 'ended', T0 + 600_000),
        transition('a', 'cause_revised', T0 + 600_000, 'link'),
      ]);
      expect(history[2]).toMatchObject({ cause: 'link', previousCause: 'unknown', previousDetail: 'connection_lost' });
      expect(await store.history('a', T0 + 1, T0 + 600_000)).toEqual([]);
      expect(await store.history(null, 0, T0 + 10)).toEqual([transition(null, 'began', T0 + 1)]);
    });
  });
}
