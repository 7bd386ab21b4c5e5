import { defaultHealthConfig, inferCause, judgeUsage, type SiteDayFacts, sunAt } from '@pantau/collector';
import { MS_PER_DAY } from '@pantau/shared';
import { describe, expect, it } from 'vitest';
import { HOUR, harness, kutimSite, MINUTE, runAgents, SimAgent, SimSite, START_MS } from './sim.js';

describe('degraded', () => {
  it('fires after its tolerance when most samples are slow, and resolves after the link recovers', async () => {
    const h = await harness([kutimSite('kutim-slow')]);
    const agent = new SimAgent(new SimSite('kutim-slow', START_MS), START_MS);
    await runAgents(h, [agent], START_MS + 30 * MINUTE);
    agent.site.rttMs = 2400;
    await runAgents(h, [agent], h.now + 15 * MINUTE);
    expect(h.alerts('degraded')).toEqual([]);
    await runAgents(h, [agent], h.now + 15 * MINUTE);
    expect(h.alerts('degraded').map((n) => [n.event, n.alert?.cause, n.alert?.severity])).toEqual([
      ['firing', 'latency', 'warning'],
    ]);
    agent.site.rttMs = 45;
    await runAgents(h, [agent], h.now + 45 * MINUTE);
    expect(h.alerts('degraded').map((n) => n.event)).toEqual(['firing', 'resolved']);
  });
});

describe('data problems', () => {
  it('a clock that stays unsynchronised for 30 minutes of uptime is a data problem', async () => {
    const h = await harness([kutimSite('kutim-clock')]);
    const agent = new SimAgent(new SimSite('kutim-clock', START_MS), START_MS);
    agent.site.clockSynced = false;
    await runAgents(h, [agent], START_MS + 20 * MINUTE);
    expect(h.service.engine.site('kutim-clock')?.conditions.data_problem).toBeUndefined();
    await runAgents(h, [agent], START_MS + 60 * MINUTE);
    expect(h.alerts('data_problem').map((n) => [n.event, n.alert?.cause, n.alert?.severity])).toEqual([
      ['firing', 'clock_unsynced', 'info'],
    ]);
  });
});

describe('underused, honestly', () => {
  const config = defaultHealthConfig();
  const today = Date.UTC(2026, 10, 23);
  const days = (siteId: string, f: (day: number) => Partial<SiteDayFacts>): SiteDayFacts[] =>
    Array.from({ length: 7 }, (_, i) => ({
      siteId,
      dayMs: today - (7 - i) * MS_PER_DAY,
      onlineMinutes: 1440,
      activeMinutes: 600,
      clientBytes: 2e9,
      clientsMax: 12,
      received: 1440,
      expected: 1440,
      ...f(i),
    }));

  it('keeps "online but not used" (adoption) apart from "not used because offline" (availability)', () => {
    const sites = [
      { siteId: 'busy', group: 'school' as const, kabupatenCode: '64.08' },
      { siteId: 'idle', group: 'school' as const, kabupatenCode: '64.08' },
      { siteId: 'dark', group: 'school' as const, kabupatenCode: '64.08' },
    ];
    const facts = [
      ...days('busy', () => ({})),
      // Online all week, a few MB a day by one or two devices.
      ...days('idle', () => ({ clientBytes: 5e6, activeMinutes: 20, clientsMax: 2 })),
      // Heavily used whenever it is online, but online only two hours a day.
      ...days('dark', () => ({ onlineMinutes: 120, activeMinutes: 100, clientBytes: 8e8 })),
    ];
    const judged = judgeUsage(sites, facts, today, config);
    expect(judged.get('busy')?.underused).toBeNull();
    expect([judged.get('idle')?.underused?.cause, judged.get('idle')?.underused?.detail]).toEqual([
      'adoption',
      'low_traffic',
    ]);
    expect([judged.get('dark')?.underused?.cause, judged.get('dark')?.underused?.values.onlinePct]).toEqual([
      'availability',
      8,
    ]);
  });

  it("flags the bottom share of a kabupaten, and yesterday's missing samples", () => {
    const sites = Array.from({ length: 10 }, (_, i) => ({
      siteId: `s${i}`,
      group: 'village_office' as const,
      kabupatenCode: '64.01',
    }));
    const facts = sites.flatMap((s, i) =>
      days(s.siteId, (d) => ({ clientBytes: (i + 1) * 1e9, received: i === 3 && d === 6 ? 1000 : 1440 })),
    );
    const judged = judgeUsage(sites, facts, today, config);
    expect([...judged].filter(([, j]) => j.underused !== null).map(([id, j]) => [id, j.underused?.detail])).toEqual([
      ['s0', 'bottom_of_kabupaten'],
    ]);
    expect(judged.get('s3')?.samplesMissing?.values.completenessPct).toBe(69.4);
    expect(judged.get('s4')?.samplesMissing).toBeNull();
  });

  it('reaches planners as an info alert through the daily evaluation', async () => {
    // The harness's clock is on `today`, so these are the seven days before it.
    const facts = days('kutim-u', () => ({ clientBytes: 1e6, activeMinutes: 5, clientsMax: 1 }));
    const h = await harness([kutimSite('kutim-u')], { facts });
    await h.service.evaluateUsage();
    await h.runUntil(h.now + MINUTE);
    expect(h.alerts('underused').map((n) => [n.event, n.alert?.cause, n.alert?.severity])).toEqual([
      ['firing', 'adoption', 'info'],
    ]);
    expect(h.alerts('underused')[0]?.texts?.id).toContain('online tetapi jarang dipakai selama 7 hari');
  });
});

describe('causes', () => {
  const offline = defaultHealthConfig().offline;
  const before = {
    lastSampleAtMs: 0,
    bootId: 'b1',
    batteryVolts: 12.7,
    batteryTrendVph: -0.05,
    disconnectVolts: null,
    underVoltage: false,
    linkDown: false,
    terminalDown: false,
  };
  const during = {
    samples: 0,
    sameBoot: 0,
    linkDown: 0,
    terminalDown: 0,
    firstLinkDownAtMs: null,
    lastSameBootAtMs: null,
  };
  const after = {
    returned: true,
    newBoot: true,
    previousRunClean: false,
    agentRestarted: null,
    terminalRebooted: null,
    underVoltageSinceBoot: false,
  };
  const cause = (over: Record<string, unknown>) => {
    const {
      source = 'will',
      inMaintenance = false,
      b = {},
      d = {},
      a = {},
    } = over as {
      source?: 'will';
      inMaintenance?: boolean;
      b?: object;
      d?: object;
      a?: object;
    };
    const v = inferCause(
      { source, inMaintenance, before: { ...before, ...b }, during: { ...during, ...d }, after: { ...after, ...a } },
      offline,
    );
    return `${v.cause}/${v.detail}`;
  };

  it('follows the rules in order', () => {
    expect(cause({ b: { batteryVolts: 11.6 } })).toBe('power/battery_low_before');
    expect(cause({ b: { batteryTrendVph: -0.6 } })).toBe('power/battery_falling_before');
    expect(cause({ b: { batteryVolts: null, batteryTrendVph: null } })).toBe('power/unclean_reboot');
    expect(cause({ a: { underVoltageSinceBoot: true } })).toBe('power/undervoltage');
    expect(cause({})).toBe('agent/pi_crashed');
    expect(cause({ a: { previousRunClean: true } })).toBe('planned/clean_reboot');
    expect(cause({ inMaintenance: true })).toBe('planned/maintenance');
    expect(cause({ d: { sameBoot: 30, linkDown: 28 } })).toBe('link/link_down');
    expect(cause({ d: { sameBoot: 30, terminalDown: 10 } })).toBe('terminal/terminal_down');
    expect(cause({ d: { sameBoot: 30 } })).toBe('link/broker_unreachable');
    // The dish's own outage report names the terminal, though the Pi saw its link down with it.
    expect(cause({ d: { sameBoot: 30, linkDown: 28, dishOutage: 20, dishObstructed: 15 } })).toBe(
      'terminal/dish_obstructed',
    );
    expect(cause({ d: { sameBoot: 30, linkDown: 28, dishOutage: 20, dishObstructed: 2 } })).toBe(
      'terminal/dish_outage',
    );
    expect(cause({ a: { returned: false, newBoot: null }, b: { dishOutage: 'searching' } })).toBe(
      'terminal/dish_outage_before',
    );
    expect(cause({ a: { newBoot: false, agentRestarted: true } })).toBe('agent/agent_restarted');
    expect(cause({ a: { newBoot: false, terminalRebooted: true } })).toBe('terminal/terminal_rebooted');
    expect(cause({ a: { newBoot: false, agentRestarted: false, routerRebooted: true } })).toBe(
      'terminal/router_rebooted',
    );
    expect(cause({ d: { sameBoot: 30, linkDown: 28 }, a: { routerRebooted: true } })).toBe('terminal/router_rebooted');
    expect(cause({ a: { returned: false, newBoot: null } })).toBe('unknown/connection_lost');
    expect(cause({ a: { returned: false, newBoot: null }, b: { linkDown: true } })).toBe('link/link_down_before');
  });
});

describe('sun at the site', () => {
  it('knows night from day in Sangatta and when the sun next rises (about 05:50 WITA)', () => {
    const night = sunAt(Date.UTC(2026, 10, 23, 14, 0), 0.51, 117.6); // 22:00 WITA
    const day = sunAt(Date.UTC(2026, 10, 23, 4, 0), 0.51, 117.6); // 12:00 WITA
    expect(night?.night).toBe(true);
    expect(day?.night).toBe(false);
    const sunrise = new Date(night?.nextSunriseMs ?? 0);
    expect(sunrise.toISOString().slice(0, 13)).toBe('2026-11-23T21');
    expect(Math.abs((night?.nextSunriseMs ?? 0) - Date.UTC(2026, 10, 23, 21, 50))).toBeLessThan(20 * MINUTE);
    expect((day?.validUntilMs ?? 0) - Date.UTC(2026, 10, 23, 4, 0)).toBeLessThan(7 * HOUR);
  });
});
