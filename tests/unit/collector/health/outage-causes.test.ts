import { describe, expect, it } from 'vitest';
import { HOUR, harness, kutimSite, MINUTE, runAgents, SimAgent, SimSite, START_MS } from './sim.js';

describe('offline causes from simulated sample streams', () => {
  it('a night where the battery runs flat: power at risk first, offline with cause power, back at sunrise', async () => {
    const h = await harness([kutimSite('kutim-a', '64.08.05', { lowVoltageDisconnectVolts: 11.5 })]);
    const agent = new SimAgent(new SimSite('kutim-a', START_MS), START_MS);
    // Charged during the afternoon; from 18:00 WITA (10:00 UTC) the load drains it 0.25 V an hour.
    const dusk = START_MS + 2 * HOUR;
    agent.battery = (t) => (t < dusk ? 12.6 : 12.6 - (0.25 * (t - dusk)) / HOUR);
    const flatAt = dusk + 4.4 * HOUR; // 11.5 V, the controller's low-voltage disconnect: 22:24 WITA
    await runAgents(h, [agent], flatAt);
    const risk = h.alerts('power_at_risk', 'kutim-a');
    // Extrapolated at dusk to the disconnect before sunrise; hours later, simply under the warning level.
    expect(risk.map((n) => [n.event, n.alert?.cause])).toEqual([['firing', 'night_discharge']]);
    expect(risk[0]?.createdMs).toBeLessThan(dusk + 2 * HOUR);
    const risky = h.service.policy.record('kutim-a/power_at_risk');
    expect([risky?.phase, risky?.cause]).toEqual(['firing', 'battery_low']);
    expect(h.alerts('offline')).toEqual([]);

    agent.powerCut();
    // Sunrise in Sangatta is about 05:50 WITA (21:50 UTC); the panels bring the Pi back an hour later.
    const back = Date.UTC(2026, 10, 23, 22, 50);
    await runAgents(h, [agent], back - 1);
    const firing = h.alerts('offline', 'kutim-a');
    expect(firing.map((n) => [n.event, n.alert?.cause, n.alert?.severity])).toEqual([['firing', 'power', 'critical']]);
    // Found within the will's delay (1.5 x keepalive) and the tolerances.
    expect((firing[0]?.createdMs ?? 0) - flatAt).toBeLessThan(1.5 * 330_000 + 5 * MINUTE + 60_000);

    agent.powerOn(back);
    await runAgents(h, [agent], back + 15 * MINUTE);
    const offline = h.alerts('offline', 'kutim-a');
    expect(offline.map((n) => [n.event, n.alert?.cause])).toEqual([
      ['firing', 'power'],
      ['resolved', 'power'],
    ]);
    const resolved = offline[1]?.alert;
    // The outage began when the Pi's last sample of the old boot was taken, not when it was missed.
    expect(Math.abs((resolved?.startsAtMs ?? 0) - flatAt)).toBeLessThanOrEqual(2 * MINUTE);
    expect(resolved?.endsAtMs).toBeGreaterThan(back);
    const history = await h.store.history('kutim-a', START_MS, h.now + 1);
    const offlineHistory = history.filter((t) => t.kind === 'offline');
    expect(offlineHistory.slice(0, 2).map((t) => [t.event, t.cause])).toEqual([
      ['began', 'power'],
      ['ended', 'power'],
    ]);
    // The backfill refines the view (the Pi's last readings, when it stopped), never the cause.
    const revisions = offlineHistory.slice(2);
    expect(revisions.every((t) => t.event === 'cause_revised' && t.cause === 'power')).toBe(true);
    expect(revisions.at(-1)?.sinceMs).toBe(resolved?.startsAtMs);
  });

  it('an uplink outage with the Pi on: first "unknown", revised to link when the backfill shows linkUp false', async () => {
    const h = await harness([kutimSite('kutim-b')]);
    const agent = new SimAgent(new SimSite('kutim-b', START_MS), START_MS);
    agent.battery = () => 12.8;
    await runAgents(h, [agent], START_MS + HOUR);
    const downAt = h.now;
    agent.linkDown();
    await runAgents(h, [agent], downAt + 40 * MINUTE);
    const first = h.alerts('offline', 'kutim-b');
    expect(first.map((n) => [n.event, n.alert?.cause, n.alert?.detail])).toEqual([
      ['firing', 'unknown', 'connection_lost'],
    ]);

    agent.linkRestored(h.now);
    await runAgents(h, [agent], h.now + 10 * MINUTE);
    const all = h.alerts('offline', 'kutim-b');
    expect(all.map((n) => [n.event, n.alert?.cause, n.alert?.firstCause, n.alert?.detail])).toEqual([
      ['firing', 'unknown', null, 'connection_lost'],
      ['resolved', 'link', 'unknown', 'link_down'],
    ]);
    // Onset revised to the first sample that saw the link down.
    expect(Math.abs((all[1]?.alert?.startsAtMs ?? 0) - downAt)).toBeLessThanOrEqual(MINUTE);
    const history = await h.store.history('kutim-b', START_MS, h.now + 1);
    const offline = history.filter((t) => t.kind === 'offline');
    expect(offline.map((t) => [t.event, t.cause, t.previousCause])).toEqual([
      ['began', 'unknown', null],
      ['ended', 'unknown', null],
      ['cause_revised', 'link', 'unknown'],
    ]);
    // The retained MQTT state was updated with the revised cause.
    const last = h.mqtt.sent.filter((n) => n.alert?.kind === 'offline').at(-1)?.alert;
    expect([last?.state, last?.cause, last?.firstCause]).toEqual(['resolved', 'link', 'unknown']);
  });

  it('a dish whose sky view is blocked, the Pi on: revised to terminal (obstructed) once the backfill arrives', async () => {
    const h = await harness([kutimSite('kutim-o')]);
    const agent = new SimAgent(new SimSite('kutim-o', START_MS), START_MS);
    agent.battery = () => 12.8;
    await runAgents(h, [agent], START_MS + HOUR);
    // A tree grew into the dish's view: the dish says `obstructed`, and the Pi's link is down with it.
    agent.site.dishOutage = 'obstructed';
    agent.linkDown();
    await runAgents(h, [agent], h.now + 40 * MINUTE);
    agent.site.dishOutage = null;
    agent.linkRestored(h.now);
    await runAgents(h, [agent], h.now + 10 * MINUTE);
    const all = h.alerts('offline', 'kutim-o');
    expect(all.map((n) => [n.event, n.alert?.cause, n.alert?.firstCause, n.alert?.detail])).toEqual([
      ['firing', 'unknown', null, 'connection_lost'],
      ['resolved', 'terminal', 'unknown', 'dish_obstructed'],
    ]);
    expect(all[1]?.texts?.en).toContain('obstructed');
    expect(all[1]?.texts?.id).toContain('terhalang');
  });

  it('an agent frozen on a running Pi (SIGSTOP) is an agent fault once it answers again', async () => {
    const h = await harness([kutimSite('kutim-c')]);
    const site = new SimSite('kutim-c', START_MS);
    const agent = new SimAgent(site, START_MS);
    agent.battery = () => 12.7;
    await runAgents(h, [agent], START_MS + HOUR);
    // Frozen: no samples, no packets; the process and the Pi stay the same.
    agent.powered = false;
    await runAgents(h, [agent], h.now + 30 * MINUTE);
    // Resumed, its overdue timers fire at once: a sample, a reconnection.
    agent.powered = true;
    agent.nextSampleMs = h.now;
    agent.reconnectAtMs = h.now;
    await runAgents(h, [agent], h.now + 10 * MINUTE);
    expect(h.alerts('offline', 'kutim-c').map((n) => [n.event, n.alert?.cause, n.alert?.detail])).toEqual([
      ['firing', 'unknown', 'connection_lost'],
      ['resolved', 'agent', 'agent_hung'],
    ]);
  });

  it('a clean shutdown is planned, with severity info', async () => {
    const h = await harness([kutimSite('kutim-d')]);
    const site = new SimSite('kutim-d', START_MS);
    const agent = new SimAgent(site, START_MS);
    await runAgents(h, [agent], START_MS + 20 * MINUTE);
    agent.powered = false;
    agent.willSent = true;
    await h.service.onStatus(site.shutdown(h.now), h.now);
    await runAgents(h, [agent], h.now + 10 * MINUTE);
    expect(h.alerts('offline', 'kutim-d').map((n) => [n.event, n.alert?.cause, n.alert?.severity])).toEqual([
      ['firing', 'planned', 'info'],
    ]);
  });

  it('a site whose broker sends no will is still caught by its silence', async () => {
    const h = await harness([kutimSite('kutim-e')]);
    const agent = new SimAgent(new SimSite('kutim-e', START_MS), START_MS);
    await runAgents(h, [agent], START_MS + 30 * MINUTE);
    const lastPacketMs = agent.lastPacketMs;
    agent.powerCut();
    agent.willSent = true; // this broker never publishes the will
    await runAgents(h, [agent], h.now + 30 * MINUTE);
    const firing = h.alerts('offline', 'kutim-e');
    expect(firing.map((n) => [n.event, n.alert?.detail])).toEqual([['firing', 'silent']]);
    // Silent past 2 x the 5-minute delivery interval + 60 s, then the tolerances.
    expect((firing[0]?.createdMs ?? 0) - lastPacketMs).toBeGreaterThanOrEqual(11 * MINUTE);
    expect((firing[0]?.createdMs ?? 0) - lastPacketMs).toBeLessThan(12 * MINUTE);
  });
});
