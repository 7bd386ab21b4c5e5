import { describe, expect, it } from 'vitest';
import { HOUR, harness, kutimSite, MINUTE, runAgents, SimAgent, SimSite, START_MS } from './sim.js';

const kecamatans = ['64.08.01', '64.08.02', '64.08.05'];

function fleet(count: number) {
  const records = Array.from({ length: count }, (_, i) => kutimSite(`site-${i}`, kecamatans[i % 3]));
  // Each agent delivers on its own phase within the 5-minute interval, as real ones do.
  const agents = records.map(
    (r, i) => new SimAgent(new SimSite(r.siteId, START_MS), START_MS, (i * 4999) % (5 * MINUTE)),
  );
  return { records, agents };
}

/** The broker dropped every connection; agents come back after `backoffMs(i)`. */
function dropConnections(agents: readonly SimAgent[], nowMs: number, backoffMs: (i: number) => number) {
  agents.forEach((a, i) => {
    a.connected = false;
    a.willSent = true;
    a.reconnectAtMs = nowMs + backoffMs(i);
  });
}

describe('NOC-side faults are one NOC incident, never an alert per site', () => {
  it('a broker restart: the collector loses its connection, every will arrives at once on its return', async () => {
    const { records, agents } = fleet(60);
    const h = await harness(records);
    await runAgents(h, agents, START_MS + 30 * MINUTE);
    const stopMs = h.now;
    await h.service.onBroker(false, stopMs);
    dropConnections(agents, stopMs, (i) => 20_000 + ((i * 7919) % (4 * MINUTE)));
    await runAgents(h, agents, stopMs + 20_000);
    await h.service.onBroker(true, h.now);
    // The broker kept the wills it published on its way down, and delivers them now.
    for (const a of agents) await h.service.onStatus(a.site.will(), h.now);
    await runAgents(h, agents, stopMs + 40 * MINUTE);

    expect(h.alerts('offline')).toEqual([]);
    expect(h.incidents().map((n) => [n.event, n.incident?.cause])).toEqual([
      ['firing', 'broker_connection_lost'],
      ['resolved', 'broker_connection_lost'],
    ]);
  });

  it('wills of every site within seconds while the collector stays connected: one mass-disconnect incident', async () => {
    const { records, agents } = fleet(60);
    const h = await harness(records);
    await runAgents(h, agents, START_MS + 30 * MINUTE);
    const dead = agents[7];
    if (dead === undefined) throw new Error('no agent');
    const stormMs = h.now;
    dropConnections(agents, stormMs, (i) => 30_000 + ((i * 7919) % (4 * MINUTE)));
    dead.powerCut(); // one site really died in the same moment
    for (const a of agents) await h.service.onStatus(a.site.will(), h.now);
    await runAgents(h, agents, stormMs + HOUR);

    expect(h.incidents().map((n) => [n.event, n.incident?.cause])).toEqual([
      ['firing', 'mass_disconnect'],
      ['resolved', 'mass_disconnect'],
    ]);
    // The site that did not come back is judged on its own, by its silence, once the storm is over.
    expect(h.alerts('offline').map((n) => [n.event, n.alert?.siteId])).toEqual([['firing', dead.site.siteId]]);
  });

  it('every site silent at once without a will (a hung broker): one mass-silence incident', async () => {
    const { records, agents } = fleet(60);
    const h = await harness(records);
    await runAgents(h, agents, START_MS + 30 * MINUTE);
    // The broker stops forwarding but keeps every connection: no will, no message, for 25 minutes.
    const hungMs = h.now;
    await h.runUntil(hungMs + 25 * MINUTE);
    for (const a of agents) {
      a.nextDeliveryMs = h.now;
      a.lastPacketMs = h.now;
    }
    await runAgents(h, agents, h.now + HOUR);
    expect(h.alerts('offline')).toEqual([]);
    expect(h.incidents().map((n) => [n.event, n.incident?.cause])).toEqual([
      ['firing', 'mass_silence'],
      ['resolved', 'mass_silence'],
    ]);
  });

  it('a collector restart neither notifies again nor loses a transition', async () => {
    const { records, agents } = fleet(9);
    const h = await harness(records);
    const [down, later] = agents;
    if (down === undefined || later === undefined) throw new Error('no agent');
    await runAgents(h, agents, START_MS + 30 * MINUTE);
    down.linkDown();
    await runAgents(h, agents, h.now + 20 * MINUTE);
    expect(h.alerts('offline').map((n) => [n.event, n.alert?.siteId])).toEqual([['firing', down.site.siteId]]);

    // The collector is down for 20 minutes: it hears nothing; one more site goes down meanwhile.
    later.powerCut();
    later.connected = false;
    later.willSent = true;
    h.now += 20 * MINUTE;
    const h2 = await h.restart();
    // On subscribing it gets every retained status: the births it knew, and one new will.
    for (const a of agents) {
      const retained = a === later || a === down ? a.site.will() : a.site.retainedBirth(h2.now);
      await h2.service.onStatus(retained, h2.now);
    }
    down.linkRestored(h2.now + 5 * MINUTE);
    await runAgents(h2, agents, h2.now + 40 * MINUTE);

    const offline = h2.alerts('offline');
    expect(offline.map((n) => [n.event, n.alert?.siteId])).toEqual([
      ['firing', down.site.siteId],
      ['resolved', down.site.siteId],
      ['firing', later.site.siteId],
    ]);
    expect(h2.incidents().map((n) => [n.event, n.incident?.cause])).toEqual([
      ['firing', 'collector_restart'],
      ['resolved', 'collector_restart'],
    ]);
  });
});

describe('one evaluator among collectors', () => {
  /** The evaluator changes 20 s after its last pass; right after, a site's agent dies (a will). */
  async function takeover(handoverWithinMs: number | undefined, gapMs = 20_000) {
    const { records, agents } = fleet(6);
    const h = await harness(records, handoverWithinMs === undefined ? {} : { handoverWithinMs });
    await runAgents(h, agents, START_MS + 30 * MINUTE);
    h.now += gapMs;
    const h2 = await h.restart();
    const dying = agents[0];
    if (dying === undefined) throw new Error('no agent');
    dying.powerCut();
    dying.connected = false;
    dying.willSent = true;
    await h2.service.onStatus(dying.site.will(), h2.now);
    await runAgents(h2, agents, h2.now + 5 * MINUTE);
    return { h2, siteId: dying.site.siteId };
  }

  it('a handover moments after the last pass opens no restart grace: a will right after fires at once', async () => {
    const { h2, siteId } = await takeover(60_000);
    expect(h2.alerts('offline').map((n) => [n.event, n.alert?.siteId])).toEqual([['firing', siteId]]);
    expect(h2.incidents()).toEqual([]);
  });

  it('without it the same start is a restart, whose grace holds that will', async () => {
    const { h2 } = await takeover(undefined);
    expect(h2.alerts('offline')).toEqual([]);
    expect(h2.incidents().map((n) => [n.event, n.incident?.cause])).toEqual([['firing', 'collector_restart']]);
  });

  it('without it a restart in the very instant of the last save is a restart too', async () => {
    const { h2 } = await takeover(undefined, 0);
    expect(h2.alerts('offline')).toEqual([]);
    expect(h2.incidents().map((n) => [n.event, n.incident?.cause])).toEqual([['firing', 'collector_restart']]);
  });
});

describe('no floods', () => {
  it('a flapping link gives one "flapping" notification, then one resolution once it settles', async () => {
    const h = await harness([kutimSite('flappy')]);
    const site = new SimSite('flappy', START_MS);
    await h.service.onStatus(site.birth(h.now), h.now);
    await h.service.onSamples('flappy', [site.sample(h.now)], h.now);
    for (let cycle = 0; cycle < 15; cycle++) {
      const t0 = h.now;
      await h.service.onStatus(site.will(), t0);
      await h.runUntil(t0 + 2 * MINUTE);
      await h.service.onStatus(site.birth(h.now), h.now);
      await h.service.onSamples('flappy', [site.sample(h.now)], h.now);
      await h.runUntil(t0 + 4 * MINUTE);
    }
    const during = h.alerts('offline').map((n) => n.event);
    expect(during.filter((e) => e === 'flapping')).toHaveLength(1);
    // Two full cycles (firing, resolved, firing) before the fourth change makes it flapping.
    expect(during).toEqual(['firing', 'resolved', 'firing', 'flapping']);
    // Quiet (online) for the flap's quiet time: it settles and says so once.
    const quietUntil = h.now + 40 * MINUTE;
    for (let t = h.now; t < quietUntil; t += 5 * MINUTE) {
      await h.runUntil(t);
      await h.service.onSamples('flappy', [site.sample(h.now)], h.now);
    }
    await h.runUntil(h.now + 5 * MINUTE);
    const all = h.alerts('offline').map((n) => n.event);
    expect(all.slice(during.length)).toEqual(['resolved']);
  });

  it('a kecamatan going down at once is ONE incident listing its sites, and one resolution', async () => {
    const records = [
      ...Array.from({ length: 6 }, (_, i) => kutimSite(`sangatta-${i}`, '64.08.05')),
      ...Array.from({ length: 3 }, (_, i) => kutimSite(`ancalong-${i}`, '64.08.01')),
    ];
    const agents = records.map((r, i) => new SimAgent(new SimSite(r.siteId, START_MS), START_MS, i * 30_000));
    const h = await harness(records);
    await runAgents(h, agents, START_MS + 30 * MINUTE);
    // The kecamatan's backhaul drops: the broker sees the connections reset and publishes the wills.
    const cut = agents.filter((a) => a.site.siteId.startsWith('sangatta'));
    for (const a of cut) {
      a.linkDown();
      a.connected = false;
      a.willSent = true;
      await h.service.onStatus(a.site.will(), h.now);
      h.now += 1000;
    }
    await runAgents(h, agents, h.now + HOUR);
    for (const a of cut) a.linkRestored(h.now);
    await runAgents(h, agents, h.now + 20 * MINUTE);

    expect(h.alerts('offline')).toEqual([]);
    const incidents = h.incidents();
    expect(incidents.map((n) => [n.event, n.incident?.scope, n.incident?.areaCode])).toEqual([
      ['firing', 'kecamatan', '64.08.05'],
      ['resolved', 'kecamatan', '64.08.05'],
    ]);
    expect(incidents[0]?.incident?.sites.map((s) => s.siteId).sort()).toEqual(cut.map((a) => a.site.siteId).sort());
    expect(incidents[0]?.texts?.id).toContain('6 lokasi di kecamatan Sangatta Utara (64.08.05) offline sejak');
    // Each site's own state is still published, tied to the incident.
    const states = h.mqtt.sent.filter((n) => n.alert?.kind === 'offline' && n.alert.state === 'firing');
    expect(new Set(states.map((n) => n.alert?.incidentId))).toEqual(new Set([incidents[0]?.incident?.id]));
  });

  it('a kecamatan power cut with wills spread over minutes: at most two sites alone, then one incident', async () => {
    const records = Array.from({ length: 6 }, (_, i) => kutimSite(`kaubun-${i}`, '64.08.05'));
    const agents = records.map((r, i) => new SimAgent(new SimSite(r.siteId, START_MS), START_MS, i * 50_000));
    const h = await harness(records);
    await runAgents(h, agents, START_MS + 30 * MINUTE);
    for (const a of agents) a.powerCut();
    await runAgents(h, agents, h.now + HOUR);
    const alone = h.alerts('offline');
    expect(alone.length).toBeLessThanOrEqual(2);
    const incidents = h.incidents();
    expect(incidents[0]?.event).toBe('firing');
    expect(incidents.filter((n) => n.event === 'firing')).toHaveLength(1);
    // Late joiners come in at most one update per grouping.updateSec.
    expect(incidents.filter((n) => n.event === 'update').length).toBeLessThanOrEqual(1);
    expect(incidents.at(-1)?.incident?.sites).toHaveLength(6);
  });
});
