import { describe, expect, it } from 'vitest';
import { HOUR, harness, kutimSite, MINUTE, runAgents, SimAgent, SimSite, START_MS } from './sim.js';

describe('backfill in the order the agent sends it', () => {
  it('an uplink outage whose newest batch arrives before its backlog is still revised to link', async () => {
    const h = await harness([kutimSite('kutim-n')]);
    const site = new SimSite('kutim-n', START_MS);
    const agent = new SimAgent(site, START_MS);
    agent.battery = () => 12.8;
    await runAgents(h, [agent], START_MS + HOUR);
    const downAt = h.now;
    agent.linkDown();
    await runAgents(h, [agent], downAt + 2 * HOUR);

    // The link is back: the agent connects, sends its newest batch first (docs/delivery.md, "After
    // an outage"), then drains the backlog oldest first.
    const backlog = agent.unsent.splice(0);
    const newest = backlog.splice(-4);
    site.linkUp = true;
    newest.push(site.sample(h.now));
    await h.service.onStatus(site.birth(h.now), h.now);
    await h.service.onSamples('kutim-n', newest, h.now);
    await h.runUntil(h.now + 10_000);
    await h.service.onSamples('kutim-n', backlog, h.now);
    await h.runUntil(h.now + 10 * MINUTE);

    const all = h.alerts('offline', 'kutim-n');
    expect(all.map((n) => [n.event, n.alert?.cause, n.alert?.detail])).toEqual([
      ['firing', 'unknown', 'connection_lost'],
      ['resolved', 'link', 'link_down'],
    ]);
    // The onset is the first sample that saw the link down, whichever batch brought it.
    expect(Math.abs((all[1]?.alert?.startsAtMs ?? 0) - downAt)).toBeLessThanOrEqual(MINUTE);
  });
});
