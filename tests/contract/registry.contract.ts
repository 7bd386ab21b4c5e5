import type { SiteRegistry } from '@pantau/collector';
import { describe, expect, it } from 'vitest';
import { freshEachTest, site } from './health-fixtures.js';

type Open = () => Promise<SiteRegistry & { close(): Promise<void> }>;

/** The site registry role (SiteRegistry): idempotent imports, no deletion; decommissioning marks. */
export function registryContract(name: string, open: Open): void {
  describe(`SiteRegistry contract: ${name}`, () => {
    let registry: SiteRegistry;
    freshEachTest(open, (s) => {
      registry = s;
    });

    it('adds, then finds the same file unchanged, then counts a changed site as updated', async () => {
      const sites = [site('kutim-b'), site('kutim-a', { lowVoltageDisconnectVolts: null, sampleIntervalSec: 60 })];
      expect(await registry.upsert(sites)).toEqual({ added: 2, updated: 0, unchanged: 0, recommissioned: 0 });
      expect(await registry.upsert(sites)).toEqual({ added: 0, updated: 0, unchanged: 2, recommissioned: 0 });
      expect(await registry.upsert([site('kutim-b', { name: 'Puskesmas Pembantu', group: 'health_post' })])).toEqual({
        added: 0,
        updated: 1,
        unchanged: 0,
        recommissioned: 0,
      });
      expect((await registry.list()).map((s) => [s.siteId, s.name, s.group])).toEqual([
        ['kutim-a', 'Kantor Desa kutim-a', 'village_office'],
        ['kutim-b', 'Puskesmas Pembantu', 'health_post'],
      ]);
      expect(await registry.get('kutim-a')).toEqual({ ...sites[1], decommissionedMs: null });
      expect(await registry.get('nobody')).toBeNull();
    });

    it('keeps sites an import leaves out, and keeps a decommissioned site, marked with its time', async () => {
      await registry.upsert([site('a'), site('b')]);
      await registry.upsert([site('b', { latitude: 0.6 })]);
      expect((await registry.list()).map((s) => s.siteId)).toEqual(['a', 'b']);
      expect(await registry.decommission('a', 1_700_000_000_000)).toBe(true);
      expect(await registry.decommission('nobody', 1_700_000_000_000)).toBe(false);
      // A second decommission keeps the first time: when the site left service.
      expect(await registry.decommission('a', 1_800_000_000_000)).toBe(true);
      expect((await registry.list()).map((s) => [s.siteId, s.latitude, s.decommissionedMs])).toEqual([
        ['a', 0.5132, 1_700_000_000_000],
        ['b', 0.6, null],
      ]);
      expect(await registry.get('a')).toEqual({ ...site('a'), decommissionedMs: 1_700_000_000_000 });
    });

    it('an import row for a decommissioned site recommissions it, even with the same fields', async () => {
      await registry.upsert([site('a'), site('b'), site('c')]);
      await registry.decommission('a', 1_700_000_000_000);
      await registry.decommission('b', 1_700_000_000_000);
      expect(await registry.upsert([site('a'), site('b', { name: 'Sekolah' }), site('c'), site('d')])).toEqual({
        added: 1,
        updated: 2,
        unchanged: 1,
        recommissioned: 2,
      });
      expect((await registry.list()).map((s) => [s.siteId, s.name, s.decommissionedMs])).toEqual([
        ['a', 'Kantor Desa a', null],
        ['b', 'Sekolah', null],
        ['c', 'Kantor Desa c', null],
        ['d', 'Kantor Desa d', null],
      ]);
      expect(await registry.upsert([site('a')])).toEqual({ added: 0, updated: 0, unchanged: 1, recommissioned: 0 });
    });

    it('an empty import changes nothing', async () => {
      expect(await registry.upsert([])).toEqual({ added: 0, updated: 0, unchanged: 0, recommissioned: 0 });
      expect(await registry.list()).toEqual([]);
    });
  });
}
