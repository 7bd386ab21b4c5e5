import { defaultHealthConfig } from '@pantau/collector';
import { describe, expect, it } from 'vitest';
import { type HarnessOptions, harness, kutimSite, MINUTE, runAgents, SimAgent, SimSite, START_MS } from './sim.js';

const PASS_MS = 5000;

/** A site that has delivered for half an hour; its will arrives between two evaluation passes. */
async function willBetweenPasses(config?: HarnessOptions['config']) {
  const h = await harness([kutimSite('kutim-a')], config === undefined ? {} : { config });
  const agent = new SimAgent(new SimSite('kutim-a', START_MS), START_MS);
  await runAgents(h, [agent], START_MS + 30 * MINUTE);
  agent.connected = false;
  agent.willSent = true;
  h.now += 2500;
  const willMs = h.now;
  await h.service.onStatus(agent.site.will(), willMs);
  await h.runUntil(willMs + 2 * MINUTE, undefined, PASS_MS);
  const firing = h.alerts('offline', 'kutim-a');
  expect(firing.map((n) => n.event)).toEqual(['firing']);
  return (firing[0]?.createdMs ?? 0) - willMs;
}

describe('time from a will to the offline alert', () => {
  it('with the defaults: the settle, then the tolerance and the wait for neighbours side by side, within a pass', async () => {
    const { offline, alerts } = defaultHealthConfig();
    const holdMs = Math.max(alerts.tolerance.offline.fireAfterSec, alerts.grouping.waitSec) * 1000;
    const delayMs = await willBetweenPasses();
    expect(delayMs).toBeGreaterThanOrEqual(offline.willSettleSec * 1000 + holdMs);
    expect(delayMs).toBeLessThanOrEqual(offline.willSettleSec * 1000 + holdMs + PASS_MS);
    // What leaves the broker's lateness (up to 5 s) and delivery room within 1.5 x keepalive + 30 s.
    expect(delayMs).toBeLessThanOrEqual(20_000);
  });

  it('a grouping wait longer than the tolerance holds the alert that long for the area to form', async () => {
    const delayMs = await willBetweenPasses({ alerts: { grouping: { waitSec: 40 } } });
    expect(delayMs).toBeGreaterThanOrEqual(5000 + 40_000);
    expect(delayMs).toBeLessThanOrEqual(5000 + 40_000 + PASS_MS);
  });
});
