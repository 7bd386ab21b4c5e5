import type { ControlsStore, Maintenance, Silence } from '@pantau/collector';
import { describe, expect, it } from 'vitest';
import { freshEachTest, T0 } from './health-fixtures.js';

type Open = () => Promise<ControlsStore & { close(): Promise<void> }>;

const HOUR = 3_600_000;

/** The operator's controls (ControlsStore): silences, maintenance windows, acknowledgements asked for. */
export function controlsContract(name: string, open: Open): void {
  describe(`ControlsStore contract: ${name}`, () => {
    let store: ControlsStore;
    freshEachTest(open, (s) => {
      store = s;
    });
    const silence: Silence = {
      id: 'sil-1',
      scope: { kecamatanCode: '64.08.05' },
      kinds: ['offline'],
      startsMs: T0,
      endsMs: T0 + 2 * HOUR,
      by: 'ayu',
      comment: 'PLN works on the feeder',
    };
    const window: Maintenance = {
      id: 'mnt-1',
      scope: { siteId: 'kutim-a' },
      startsMs: T0,
      endsMs: T0 + HOUR,
      by: 'budi',
      comment: '',
    };

    it('keeps silences and maintenance windows apart, and ends one early for the record', async () => {
      await store.putSilence(silence);
      await store.putMaintenance(window);
      expect(await store.silences()).toEqual([silence]);
      expect(await store.maintenance()).toEqual([window]);
      expect(await store.end('sil-1', T0 + HOUR)).toBe(true);
      expect(await store.silences()).toEqual([{ ...silence, endsMs: T0 + HOUR }]);
      // Ending it again later does not extend it.
      expect(await store.end('sil-1', T0 + 3 * HOUR)).toBe(true);
      expect((await store.silences())[0]?.endsMs).toBe(T0 + HOUR);
      expect(await store.end('nothing', T0)).toBe(false);
      expect(await store.maintenance()).toEqual([window]);
    });

    it('keeps the newest ask per alert until the collector has applied it', async () => {
      const first = { key: 'kutim-a/offline', by: 'ayu', note: '', requestedMs: T0 };
      const second = { key: 'kutim-a/offline', by: 'budi', note: 'on it', requestedMs: T0 + 5 };
      const other = { key: 'kutim-b/offline', by: 'ayu', note: '', requestedMs: T0 + 1 };
      await store.requestAck(first);
      await store.requestAck(other);
      await store.requestAck(second);
      expect(await store.pendingAcks()).toEqual([other, second]);
      // Applying an older ask leaves the newer one waiting.
      await store.ackApplied(first);
      expect(await store.pendingAcks()).toEqual([other, second]);
      await store.ackApplied(second);
      await store.ackApplied(other);
      expect(await store.pendingAcks()).toEqual([]);
    });
  });
}
