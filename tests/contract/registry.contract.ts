import type { SiteRegistry } from '@pantau/collector';
import { describe, expect, it } from 'vitest';
import { freshEachTest, site } from './health-fixtures.js';

type Open = () => Promise<SiteRegistry & { close(): Promise<void> }>;

/** The site registry role (SiteRegistry): idempotent imports, never a deletion by import. */
export function registryContract(name: string, open: Open): void {
  describe(`SiteRegistry contract: ${name}`, () => {
    let registry: SiteRegistry;
    freshEachTest(open, (s) => {
      registry = s;
    });

    it('adds, then finds the same file unchanged, then counts a changed site as updated', async () => {
      const sites = [site('kutim-b'), site('kutim-a', { lowVoltageDisconnectVolts: null, sampleIntervalSec: 60 })];
      expect(await registry.upsert(sites)).toEqual({ added: 2, updated: 0, unchanged: 0 });
      expect(await registry.upsert(sites)).toEqual({ added: 0, updated: 0, unchanged: 2 });
      expect(await registry.upsert([site('kutim-b', { name: 'Puskesmas Pembantu', group: 'health_post' })])).toEqual({
        added: 0,
        updated: 1,
        unchanged: 0,
      });
      expect((await registry.list()).map((s) => [s.siteId, s.name, s.group])).toEqual([
        ['kutim-a', 'Kantor Desa kutim-a', 'village_office'],
        ['kutim-b', 'Puskesmas Pembantu', 'health_post'],
      ]);
      expect(await registry.get('kutim-a')).toEqual(sites[1]);
      expect(await registry.get('nobody')).toBeNull();
    });

    it('keeps sites an import leaves out, and removes one only when asked', async () => {
      await registry.upsert([site('a'), site('b')]);
      await registry.upsert([site('b', { latitude: 0.6 })]);
      expect((await registry.list()).map((s) => s.siteId)).toEqual(['a', 'b']);
      expect(await registry.remove('a')).toBe(true);
      expect(await registry.remove('a')).toBe(false);
      expect((await registry.list()).map((s) => [s.siteId, s.latitude])).toEqual([['b', 0.6]]);
    });

    it('an empty import changes nothing', async () => {
      expect(await registry.upsert([])).toEqual({ added: 0, updated: 0, unchanged: 0 });
      expect(await registry.list()).toEqual([]);
    });
  });
}
