import { describe, expect, it } from 'vitest';
import { HOUR, harness, kutimSite, MINUTE, runAgents, SimAgent, SimSite, START_MS } from './sim.js';

/** The registry's record of a site as `decommission` leaves it, read back by the running collector. */
const decommissioned = (siteId: string, atMs: number) => ({ ...kutimSite(siteId), decommissionedMs: atMs });

describe('a decommissioned site', () => {
  it('goes silent after its login is revoked: no offline alert, and the NOC was never told it went down', async () => {
    const h = await harness([kutimSite('kutim-old'), kutimSite('kutim-live')]);
    const old = new SimAgent(new SimSite('kutim-old', START_MS), START_MS);
    const live = new SimAgent(new SimSite('kutim-live', START_MS), START_MS, 90_000);
    await runAgents(h, [old, live], START_MS + 30 * MINUTE);
    await h.service.register('kutim-old', decommissioned('kutim-old', h.now));
    // The broker refuses its login from now on: its connection drops, the will arrives, then silence.
    old.linkDown();
    await runAgents(h, [old, live], h.now + 6 * HOUR);

    expect(h.alerts('offline')).toEqual([]);
    expect(h.incidents()).toEqual([]);
    expect(h.service.engine.site('kutim-old')?.conditions).toEqual({});
    // The other site is still watched: it goes offline as usual.
    live.powerCut();
    await runAgents(h, [old, live], h.now + HOUR);
    expect(h.alerts('offline').map((n) => [n.event, n.alert?.siteId])).toEqual([['firing', 'kutim-live']]);
  });

  it('ends what it has open at once, saying why: the alert resolves as decommissioned, the history says so', async () => {
    const h = await harness([kutimSite('kutim-dark')]);
    const agent = new SimAgent(new SimSite('kutim-dark', START_MS), START_MS);
    await runAgents(h, [agent], START_MS + 30 * MINUTE);
    agent.powerCut();
    await runAgents(h, [agent], h.now + HOUR);
    expect(h.alerts('offline').map((n) => n.event)).toEqual(['firing']);

    const decommissionedMs = h.now;
    await h.service.register('kutim-dark', decommissioned('kutim-dark', decommissionedMs));
    await h.service.deliver();
    const resolved = h.alerts('offline').at(-1);
    expect(resolved?.event).toBe('resolved');
    expect(resolved?.alert).toMatchObject({ state: 'resolved', detail: 'decommissioned', endsAtMs: decommissionedMs });
    expect(resolved?.texts?.en).toBe('Desa kutim-dark (kutim-dark) decommissioned: its offline alert is closed');
    expect(resolved?.texts?.id).toContain('dinonaktifkan');
    const history = await h.store.history('kutim-dark', START_MS, h.now + 1);
    expect(history.map((t) => [t.kind, t.event, t.detail]).at(-1)).toEqual(['offline', 'ended', 'decommissioned']);

    // Nothing follows: no reminder, no new outage, however long it stays dark.
    await runAgents(h, [agent], h.now + 12 * HOUR);
    expect(h.alerts('offline').map((n) => n.event)).toEqual(['firing', 'resolved']);
  });

  it('samples that still arrive raise nothing; recommissioned, it is judged again, its silence counted from then', async () => {
    const h = await harness([kutimSite('kutim-back')]);
    const agent = new SimAgent(new SimSite('kutim-back', START_MS), START_MS);
    await runAgents(h, [agent], START_MS + 30 * MINUTE);
    await h.service.register('kutim-back', decommissioned('kutim-back', h.now));
    // Slow and on a failing battery: a site in service would be degraded and its power at risk.
    agent.site.rttMs = 2400;
    agent.battery = () => 10.9;
    await runAgents(h, [agent], h.now + 2 * HOUR);
    expect(h.webhook.sent).toEqual([]);
    expect(h.service.engine.site('kutim-back')?.lastHeardMs).toBeGreaterThan(START_MS + 2 * HOUR);

    // Taken out for months; provisioned again before its Pi is back: no outage for the months away.
    agent.powerCut();
    await runAgents(h, [agent], h.now + 24 * HOUR, 60_000);
    await h.service.register('kutim-back', { ...kutimSite('kutim-back'), decommissionedMs: null });
    await runAgents(h, [agent], h.now + 10 * MINUTE);
    expect(h.alerts('offline')).toEqual([]);
    await runAgents(h, [agent], h.now + HOUR);
    expect(h.alerts('offline').map((n) => n.event)).toEqual(['firing']);
  });
});
