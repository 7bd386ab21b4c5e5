import { createOverviewCache, type FleetLatest, type OverviewSource, type RegisteredSite } from '@pantau/collector';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../helpers/fakes.js';

/** A fleet whose heard sites the test adds to; each snapshot build is counted. */
function fakeSource() {
  const latest: FleetLatest[] = [];
  const records: RegisteredSite[] = [];
  let builds = 0;
  const source: OverviewSource = {
    list: async () => [...records],
    rollupsInRange: async () => [],
    fleetAlerts: async () => {
      builds++;
      return [];
    },
    fleetLatest: async () => [...latest],
  };
  const hear = (siteId: string) => latest.push({ siteId, lastSeenMs: 0, batteryVolts: null, rttInternetMs: null });
  const register = (siteId: string) =>
    records.push({
      siteId,
      name: `Kantor Desa ${siteId}`,
      kabupatenCode: '64.01',
      kabupaten: 'Paser',
      kecamatanCode: '64.01.01',
      kecamatan: 'Batu Sopang',
      desaCode: '64.01.01.2001',
      desa: 'Batu Kajang',
      group: 'village_office',
      latitude: -1.9,
      longitude: 116.0,
      lowVoltageDisconnectVolts: null,
      sampleIntervalSec: null,
      deliveryIntervalSec: null,
      decommissionedMs: null,
    });
  return { source, hear, register, builds: () => builds };
}

function setup() {
  const fleet = fakeSource();
  const clock = { ms: 0 };
  const cache = createOverviewCache(
    fleet.source,
    { maxAgeMs: 2_000, maxStaleMs: 10_000, registryMaxAgeMs: 30_000, usageMaxAgeMs: 300_000, usageSliceSites: 100 },
    { nowMs: () => clock.ms, monotonicMs: () => clock.ms, log: silentLogger() },
  );
  const ids = async () => (await cache.snapshot()).rows.map((r) => r.siteId);
  return { fleet, clock, cache, ids };
}

/** Lets a background rebuild finish. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

describe("the overview's snapshot cache", () => {
  it('serves a recent snapshot without reading again', async () => {
    const { fleet, clock, ids } = setup();
    fleet.hear('a');
    expect(await ids()).toEqual(['a']);
    fleet.hear('b');
    clock.ms += 1_000;
    expect(await ids()).toEqual(['a']);
    expect(fleet.builds()).toBe(1);
  });

  it('past its age, serves the one it has once and rebuilds behind it', async () => {
    const { fleet, clock, ids } = setup();
    expect(await ids()).toEqual([]);
    fleet.hear('a');
    clock.ms += 3_000;
    expect(await ids()).toEqual([]);
    await settle();
    expect(await ids()).toEqual(['a']);
    expect(fleet.builds()).toBe(2);
  });

  it('too stale to show (a first look after a quiet while), waits for a new one', async () => {
    const { fleet, clock, ids } = setup();
    expect(await ids()).toEqual([]);
    fleet.hear('a');
    clock.ms += 60 * 60_000;
    expect(await ids()).toEqual(['a']);
  });

  it('the registry, unread for twice its age, is read before the snapshot, not after', async () => {
    const { fleet, clock, cache } = setup();
    fleet.hear('a');
    expect((await cache.snapshot()).rows.map((r) => r.registered)).toEqual([false]);
    fleet.register('a');
    clock.ms += 75_000;
    expect((await cache.snapshot()).rows.map((r) => r.registered)).toEqual([true]);
  });
});
