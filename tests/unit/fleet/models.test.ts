import {
  createBatteryModel,
  createDraw,
  createSiteWorld,
  expectedClients,
  localTime,
  MS_PER_DAY,
  MS_PER_MINUTE,
  planFleet,
  type SitePlan,
  sunFactor,
  usageMinute,
} from '@pantau/bench/fleet';
import { describe, expect, it } from 'vitest';

/** Monday 2 November 2026, 00:00 WITA (UTC+8). */
const MONDAY_MIDNIGHT_WITA = Date.UTC(2026, 10, 1, 16, 0);
const at = (day: number, hour: number) => MONDAY_MIDNIGHT_WITA + day * MS_PER_DAY + hour * 3_600_000;

describe('local time and the sun at the equator', () => {
  it('reads WITA hours and weekdays, and the sun is up from about 06:00 to 18:00 local solar time', () => {
    expect(localTime(at(0, 9.5))).toMatchObject({ hour: 9.5, weekday: 1 });
    expect(localTime(at(5, 23))).toMatchObject({ weekday: 6 });
    // Sangatta, 117.55 E: local solar noon is 12:10 WITA.
    expect(sunFactor(at(0, 12.17), 117.55)).toBeCloseTo(1, 2);
    expect(sunFactor(at(0, 3), 117.55)).toBe(0);
    expect(sunFactor(at(0, 21), 117.55)).toBe(0);
    expect(sunFactor(at(0, 8), 117.55)).toBeGreaterThan(0.3);
  });
});

describe('daily use by site group', () => {
  const size = 10;
  it('a school in weekday lesson hours, not on Sunday', () => {
    expect(expectedClients('school', localTime(at(1, 9)), size)).toBe(10);
    expect(expectedClients('school', localTime(at(6, 9)), size)).toBeLessThan(1);
    expect(expectedClients('school', localTime(at(1, 2)), size)).toBeLessThan(1);
  });
  it('a village office in office hours, short on Friday', () => {
    expect(expectedClients('village_office', localTime(at(2, 10)), size)).toBe(10);
    expect(expectedClients('village_office', localTime(at(4, 14)), size)).toBeLessThan(2);
    expect(expectedClients('village_office', localTime(at(4, 9)), size)).toBe(10);
  });
  it('a health post in clinic hours, Saturday too', () => {
    expect(expectedClients('health_post', localTime(at(5, 10)), size)).toBe(8);
    expect(expectedClients('health_post', localTime(at(6, 10)), size)).toBeLessThan(1);
  });
  it('other sites in the evening, every day', () => {
    expect(expectedClients('other', localTime(at(6, 20)), size)).toBe(10);
    expect(expectedClients('other', localTime(at(2, 9)), size)).toBeLessThan(1);
  });
  it('a minute of use is the same for the same seed, site and minute, and none without clients', () => {
    const draw = createDraw(7);
    const a = usageMinute(draw, 's1', 1234, 8);
    expect(usageMinute(createDraw(7), 's1', 1234, 8)).toEqual(a);
    expect(a.clients).toBeGreaterThan(0);
    expect(a.rxBytes).toBeGreaterThan(a.txBytes);
    expect(usageMinute(draw, 's1', 1234, 0)).toMatchObject({ clients: 0, rxBytes: 0, txBytes: 0 });
    // Over a day the figures follow the expectation.
    let clients = 0;
    for (let m = 0; m < 1440; m += 1) clients += usageMinute(draw, 's2', m, 5).clients;
    expect(clients / 1440).toBeGreaterThan(4.5);
    expect(clients / 1440).toBeLessThan(5.5);
  });
});

describe('the battery', () => {
  const plant = { capacityWh: 1000, panelWatts: 400, loadWatts: 50, lowVoltageDisconnectVolts: 11.6 };
  it('charges by day, discharges at night, and reads volts and amps as a charger would', () => {
    const battery = createBatteryModel(plant, 0.6);
    const day = battery.step(1);
    expect(day.batteryAmps).toBeGreaterThan(0);
    expect(day.chargeState).toBe('bulk');
    expect(day.solarWatts).toBe(320);
    const night = battery.step(0);
    expect(night.batteryAmps).toBeLessThan(0);
    expect(night.chargeState).toBe('off');
    expect(night.batteryVolts).toBeLessThan(day.batteryVolts);
    expect(night.panelVolts).toBe(0);
  });
  it('runs flat in the dark: the load is cut at the disconnect, and comes back only once the sun has charged it', () => {
    const battery = createBatteryModel(plant, 0.5);
    let minutes = 0;
    while (battery.step(0).loadOn) minutes += 1;
    // 1000 Wh from 50 % to the cut at 33 % at 50 W: about 3.4 hours.
    expect(minutes).toBeGreaterThan(180);
    expect(minutes).toBeLessThan(240);
    for (let i = 0; i < 600; i += 1) expect(battery.step(0).loadOn).toBe(false);
    let charging = 0;
    while (!battery.step(0.5).loadOn) charging += 1;
    expect(charging).toBeGreaterThan(10);
    expect(battery.reading.batteryAmps).toBeGreaterThan(0);
  });
  it('a full battery takes from the panel only what the load uses', () => {
    const battery = createBatteryModel(plant, 1);
    const r = battery.step(1);
    expect(r.solarWatts).toBe(50);
    expect(r.chargeState).toBe('float');
  });
});

describe('a site world', () => {
  const [plan] = planFleet(1, 3) as [SitePlan];
  const weak: SitePlan = {
    ...plan,
    plant: { capacityWh: 600, panelWatts: 100, loadWatts: 60, lowVoltageDisconnectVolts: 11.8 },
    initialStateOfCharge: 0.6,
  };

  it('goes dark when the battery runs flat, boots again in daylight with its clock behind until NTP syncs', () => {
    const world = createSiteWorld(weak, createDraw(1), at(0, 18), { outageChancePerDay: 0, cloudyDayChance: 0 });
    const seen: { event: string; atMs: number }[] = [];
    for (let t = at(0, 18); t < at(3, 0); t += MS_PER_MINUTE) {
      for (const event of world.advanceTo(t)) seen.push({ event, atMs: t });
      if (seen.at(-1)?.event === 'power_on' && seen.at(-1)?.atMs === t) {
        expect(world.clockSynced).toBe(false);
        expect(world.clockOffsetMs).toBeLessThan(0);
        expect(world.boots).toBe(seen.filter((s) => s.event === 'power_on').length);
      }
    }
    const off = seen.find((s) => s.event === 'power_off');
    const on = seen.find((s) => s.event === 'power_on');
    expect(off).toBeDefined();
    expect(on).toBeDefined();
    // Off in the night, back after sunrise.
    expect(localTime(off?.atMs ?? 0).hour >= 18 || localTime(off?.atMs ?? 0).hour < 6).toBe(true);
    expect(localTime(on?.atMs ?? 0).hour).toBeGreaterThan(6);
    expect(localTime(on?.atMs ?? 0).hour).toBeLessThan(18);
    expect(world.clockSynced).toBe(true);
    expect(world.clockOffsetMs).toBe(0);
  });

  it('has uplink outages on some days, and the same ones for the same seed', () => {
    const run = () => {
      const world = createSiteWorld(plan, createDraw(9), at(0, 0), { outageChancePerDay: 0.5, cloudyDayChance: 0.3 });
      const events: string[] = [];
      for (let t = at(0, 0); t <= at(20, 0); t += 10 * MS_PER_MINUTE) {
        for (const e of world.advanceTo(t)) events.push(`${e}@${t}`);
      }
      return events;
    };
    const first = run();
    expect(first.filter((e) => e.startsWith('uplink_down')).length).toBeGreaterThan(3);
    expect(first.filter((e) => e.startsWith('uplink_up')).length).toBeGreaterThan(3);
    expect(run()).toEqual(first);
  });

  it('cloudy days give less sun than clear ones over a kecamatan', () => {
    const clear = createSiteWorld(plan, createDraw(2), at(0, 0), { outageChancePerDay: 0, cloudyDayChance: 0 });
    const cloudy = createSiteWorld(plan, createDraw(2), at(0, 0), { outageChancePerDay: 0, cloudyDayChance: 1 });
    clear.advanceTo(at(0, 12));
    cloudy.advanceTo(at(0, 12));
    expect(cloudy.power.solarWatts).toBeLessThan(clear.power.solarWatts * 0.5);
  });
});

describe('the fleet plan', () => {
  it('is the same for the same seed, and a larger fleet keeps the smaller one', () => {
    expect(planFleet(30, 5)).toEqual(planFleet(30, 5));
    expect(planFleet(50, 5).slice(0, 30)).toEqual(planFleet(30, 5));
    expect(planFleet(30, 6)).not.toEqual(planFleet(30, 5));
  });
  it('places sites in the kecamatan of Paser and Kutai Timur with their codes, every id unique', () => {
    const plans = planFleet(300, 1);
    expect(new Set(plans.map((p) => p.siteId)).size).toBe(300);
    for (const p of plans) {
      expect(['64.01', '64.08']).toContain(p.kabupatenCode);
      expect(p.kecamatanCode.startsWith(`${p.kabupatenCode}.`)).toBe(true);
      expect(p.desaCode.startsWith(`${p.kecamatanCode}.`)).toBe(true);
    }
    expect(new Set(plans.map((p) => p.kecamatanCode)).size).toBe(28);
    expect(new Set(plans.map((p) => p.group))).toEqual(new Set(['school', 'village_office', 'health_post', 'other']));
    const sangatta = plans.find((p) => p.kecamatanCode === '64.08.04');
    expect(sangatta?.kecamatan).toBe('Sangatta Utara');
    expect(sangatta?.siteId).toMatch(/^kutim-sangatta-utara-\d\d$/);
  });
});
