import { mqttJsConnect } from '@pantau/agent';
import { createFleet, createScaledClock, type Fleet, MS_PER_DAY, planFleet, type SitePlan } from '@pantau/bench/fleet';
import type { Collector } from '@pantau/collector';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../helpers/fakes.js';
import { type Mosquitto, startMosquitto } from '../helpers/mosquitto.js';
import { readSpool, storedSeqs } from '../helpers/site.js';
import { startCollector } from '../helpers/stack.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import { waitFor } from '../helpers/wait.js';

const dirs = tempDirs();
let mosquitto: Mosquitto | null = null;
let collector: Collector | null = null;
let fleet: Fleet | null = null;
afterAll(async () => {
  await fleet?.stop();
  await collector?.stop();
  await mosquitto?.stop();
  dirs.removeAll();
});

/** 19:00 WITA two days ago: a night comes first, and the simulated time stays behind real time. */
function eveningTwoDaysAgo(): number {
  const nowMs = Date.now();
  const witaMidnight = Math.floor((nowMs + 8 * 3_600_000) / MS_PER_DAY) * MS_PER_DAY - 8 * 3_600_000;
  return witaMidnight - 2 * MS_PER_DAY + 19 * 3_600_000;
}

/** A quarter of the sites on a small battery and panel, half full at dusk: they run flat in the night. */
function withWeakSites(plans: SitePlan[]): SitePlan[] {
  return plans.map((plan) =>
    plan.index % 4 === 0
      ? {
          ...plan,
          plant: { capacityWh: 500, panelWatts: 300, loadWatts: 60, lowVoltageDisconnectVolts: 11.8 },
          initialStateOfCharge: 0.5,
        }
      : plan,
  );
}

describe('the fleet simulator through a real Mosquitto into the collector', { timeout: 300_000 }, () => {
  it('20 sites through a night of flat batteries, reboots and uplink outages: every sample stored once', async () => {
    mosquitto = await startMosquitto();
    collector = await startCollector(mosquitto.url, 'pantau-collector-fleet');
    const plans = withWeakSites(planFleet(20, 11));
    const startMs = eveningTwoDaysAgo();
    // 15 simulated minutes a real second: the night passes in about a minute.
    const clock = createScaledClock(startMs, 900);
    fleet = createFleet(
      {
        plans,
        seed: 11,
        dir: dirs.make('pantau-fleet-'),
        settings: {
          brokerUrl: mosquitto.url,
          sampleIntervalSec: 60,
          deliveryIntervalSec: 300,
          jitter: true,
          sampling: true,
          mqtt: { keepaliveSec: 9000 },
          // A stop delivers what is left, for up to two minutes.
          delivery: { flushOnStopMs: 120_000 },
        },
        world: { outageChancePerDay: 0.6, cloudyDayChance: 0 },
      },
      { clock, log: silentLogger(), mqtt: mqttJsConnect },
    );
    const running = fleet;
    await running.start();
    // Until the weak sites have gone dark and come back with the sun, and outages have come and gone.
    await waitFor(
      'flat batteries back with the sun, and uplink outages',
      () => {
        const s = running.status();
        return s.powerCuts >= 3 && s.powered === s.sites && s.outages >= 3 && clock.nowMs() > startMs + 14 * 3_600_000;
      },
      240_000,
      500,
    );
    // Then a calm field: every site up and linked, until each has delivered its backlog (the
    // newest samples wait for the next delivery, every five), and a clean stop delivers the rest.
    await running.calm();
    await waitFor(
      'every site connected with its backlog delivered',
      () => {
        const s = running.status();
        return s.connected === s.sites && s.spoolDepth <= 6 * s.sites;
      },
      120_000,
      200,
    );
    // Real time for the stop: its bounded flush (two minutes) then has time to deliver the rest.
    clock.setSpeed(1);
    await running.stop();
    fleet = null;

    let total = 0;
    const spools = new Map<string, number[]>();
    for (const plan of plans) {
      const spool = readSpool(`${running.sites[plan.index]?.dataDir}`);
      expect(spool.dropped).toBe(0);
      expect(spool.depth, plan.siteId).toBe(0);
      spools.set(
        plan.siteId,
        spool.samples.map((s) => s.seq).sort((a, b) => a - b),
      );
      total += spool.samples.length;
    }
    const store = collector;
    await waitFor(
      'the collector to store every sample',
      async () => {
        const sites = await store.store.listSites();
        return sites.reduce((sum, s) => sum + s.samples, 0) >= total;
      },
      60_000,
      200,
    );
    for (const plan of plans) {
      const stored = await storedSeqs(store, plan.siteId);
      expect(stored, plan.siteId).toEqual(spools.get(plan.siteId));
      expect(new Set(stored).size).toBe(stored.length);
    }
    // What the night did shows in the data: reboots after an unclean end, and clocks not yet synced.
    const samples = plans.flatMap((plan) => readSpool(`${running.sites[plan.index]?.dataDir}`).samples);
    expect(samples.some((s) => s.probes?.uptime?.previousRunClean === false)).toBe(true);
    expect(samples.some((s) => s.clockSynced === false)).toBe(true);
    expect(
      samples.some((s) => s.probes?.latency?.targets?.some((t) => t.role === 'internet' && t.received === 0)),
    ).toBe(true);
    expect(new Set(samples.map((s) => s.bootId)).size).toBeGreaterThan(plans.length);
    expect(samples.every((s) => s.probes?.power?.batteryVolts !== undefined)).toBe(true);
  });
});
