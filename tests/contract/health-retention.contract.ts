import type {
  AlertOutbox,
  ControlsStore,
  HealthRetention,
  HealthStateStore,
  Maintenance,
  Silence,
} from '@pantau/collector';
import { describe, expect, it } from 'vitest';
import { change, freshEachTest, incident, item, notification, T0, transition } from './health-fixtures.js';

type Stores = HealthStateStore & AlertOutbox & ControlsStore & HealthRetention;
type Open = () => Promise<Stores & { close(): Promise<void> }>;

const DAY = 86_400_000;
/** The horizon of these tests: what lies before it is old. */
const H = T0 + 400 * DAY;

/** Retention of health data (HealthRetention): history, ended incidents and controls, old outbox items. */
export function healthRetentionContract(name: string, open: Open): void {
  describe(`HealthRetention contract: ${name}`, () => {
    let store: Stores;
    freshEachTest(open, (s) => {
      store = s;
    });
    const horizon = { historyBeforeMs: H, outboxBeforeMs: H };

    it('deletes history before the horizon but the line where a state still open began', async () => {
      await store.commit(
        change({
          transitions: [
            // b: an outage that ended long ago, its cause revised later: all of it goes.
            transition('b', 'began', T0),
            transition('b', 'ended', T0 + DAY),
            transition('b', 'cause_revised', T0 + DAY, 'link'),
            // c: began before the horizon, ended after it: the lines after it stay.
            transition('c', 'began', T0 + 399 * DAY),
            transition(null, 'began', T0 + 2),
            transition(null, 'ended', T0 + 3),
            // a: offline since long before the horizon and still offline.
            transition('a', 'began', T0 + 1),
          ],
        }),
      );
      await store.commit(change({ transitions: [transition('c', 'ended', H + DAY), transition('b', 'began', H)] }));

      expect(await store.pruneHealth(horizon)).toEqual({ transitions: 6, incidents: 0, controls: 0, outbox: 0 });
      const all = async (siteId: string | null) => store.history(siteId, 0, H + 2 * DAY);
      expect(await all('a')).toEqual([transition('a', 'began', T0 + 1)]);
      expect(await all('b')).toEqual([transition('b', 'began', H)]);
      expect(await all('c')).toEqual([transition('c', 'ended', H + DAY)]);
      expect(await all(null)).toEqual([]);
      // Nothing more to do the second time.
      expect(await store.pruneHealth(horizon)).toEqual({ transitions: 0, incidents: 0, controls: 0, outbox: 0 });
    });

    it('deletes a long history in chunks, all of it', async () => {
      const lines = Array.from({ length: 12_001 }, (_, i) =>
        transition(`s${Math.floor(i / 2) % 50}`, i % 2 === 0 ? 'began' : 'ended', T0 + i),
      );
      // The last line of s0 is a `began` nothing ended: it stays.
      await store.commit(change({ transitions: lines }));
      const pruned = await store.pruneHealth(horizon);
      expect(pruned.transitions).toBe(12_000);
      expect(await store.history('s0', 0, H)).toEqual([transition('s0', 'began', T0 + 12_000)]);
    });

    it('deletes incidents, silences and windows that ended before the horizon; open ones stay', async () => {
      await store.commit(
        change({ incidents: [incident('old', T0 + DAY), incident('recent', H + 1), incident('open', null)] }),
      );
      const control = { scope: { siteId: 'a' }, startsMs: T0, by: 'ayu', comment: '' };
      const oldSilence: Silence = { ...control, id: 'sil-old', kinds: ['offline'], endsMs: T0 + DAY };
      const silence: Silence = { ...control, id: 'sil-new', kinds: ['offline'], endsMs: H + DAY };
      const oldWindow: Maintenance = { ...control, id: 'mnt-old', endsMs: H - 1 };
      const window: Maintenance = { ...control, id: 'mnt-new', endsMs: H };
      for (const s of [oldSilence, silence]) await store.putSilence(s);
      for (const w of [oldWindow, window]) await store.putMaintenance(w);

      expect(await store.pruneHealth(horizon)).toEqual({ transitions: 0, incidents: 1, controls: 2, outbox: 0 });
      expect((await store.load()).openIncidents.map((i) => i.id)).toEqual(['open']);
      expect(await store.silences()).toEqual([silence]);
      expect(await store.maintenance()).toEqual([window]);
      // The incident that ended after the horizon is still there: it goes when it is old.
      const later = await store.pruneHealth({ ...horizon, historyBeforeMs: H + 2 });
      expect(later.incidents).toBe(1);
    });

    it('deletes outbox items created before their horizon, given up or still waiting', async () => {
      const old = notification('n-old', 'a/offline', H - DAY);
      const parked = notification('n-parked', 'b/offline', H - 1);
      const fresh = notification('n-new', 'c/offline', H);
      await store.commit(change({ outbox: [item('webhook', old), item('webhook', parked), item('mqtt', fresh)] }));
      await store.giveUp('webhook', 'n-parked', 'HTTP 400');

      const pruned = await store.pruneHealth({ historyBeforeMs: 0, outboxBeforeMs: H });
      expect(pruned).toEqual({ transitions: 0, incidents: 0, controls: 0, outbox: 2 });
      expect(await store.waiting('webhook')).toBe(0);
      expect((await store.due('mqtt', H, 10)).map((i) => i.notification.id)).toEqual(['n-new']);
    });
  });
}
