import { describe, expect, it } from 'vitest';
import { HOUR, harness, kutimSite, MINUTE, runAgents, SimAgent, SimSite, START_MS } from './sim.js';

describe('operator controls', () => {
  it('a maintenance window makes an outage planned and notifies nothing; state is still published', async () => {
    const h = await harness([kutimSite('kutim-m')]);
    const agent = new SimAgent(new SimSite('kutim-m', START_MS), START_MS);
    await runAgents(h, [agent], START_MS + 20 * MINUTE);
    await h.service.addMaintenance({
      id: 'm-1',
      scope: { kecamatanCode: '64.08.05' },
      startsMs: h.now,
      endsMs: h.now + 2 * HOUR,
      by: 'noc-budi',
      comment: 'ganti baterai',
    });
    agent.powerCut();
    await runAgents(h, [agent], h.now + 40 * MINUTE);
    expect(h.alerts('offline')).toEqual([]);
    const state = h.mqtt.sent.filter((n) => n.alert?.kind === 'offline').at(-1)?.alert;
    expect([state?.state, state?.cause, state?.detail, state?.suppressed]).toEqual([
      'firing',
      'planned',
      'maintenance',
      'maintenance',
    ]);
    agent.powerOn(h.now);
    await runAgents(h, [agent], h.now + 10 * MINUTE);
    expect(h.alerts('offline')).toEqual([]);
  });

  it('a silence holds notifications until it ends; a site still down then is notified once', async () => {
    const h = await harness([kutimSite('kutim-s')]);
    const agent = new SimAgent(new SimSite('kutim-s', START_MS), START_MS);
    await runAgents(h, [agent], START_MS + 20 * MINUTE);
    await h.service.addSilence({
      id: 's-1',
      scope: { siteId: 'kutim-s' },
      kinds: ['offline'],
      startsMs: h.now,
      endsMs: h.now + HOUR,
      by: 'noc-sari',
      comment: '',
    });
    agent.linkDown();
    await runAgents(h, [agent], h.now + 50 * MINUTE);
    expect(h.alerts('offline')).toEqual([]);
    await runAgents(h, [agent], h.now + 20 * MINUTE);
    expect(h.alerts('offline').map((n) => [n.event, n.alert?.cause])).toEqual([['firing', 'unknown']]);
  });

  it('an acknowledged alert is not reminded; an unacknowledged one is, every renotifySec', async () => {
    const h = await harness([kutimSite('kutim-r1'), kutimSite('kutim-r2', '64.08.01')], {
      config: { alerts: { renotifySec: 3600 } },
    });
    const agents = ['kutim-r1', 'kutim-r2'].map((id) => new SimAgent(new SimSite(id, START_MS), START_MS));
    await runAgents(h, agents, START_MS + 20 * MINUTE);
    for (const a of agents) a.powerCut();
    await runAgents(h, agents, h.now + 20 * MINUTE);
    expect(await h.service.acknowledge('kutim-r1/offline', 'noc-budi', 'tim sudah berangkat')).toBe(true);
    await runAgents(h, agents, h.now + 2.5 * HOUR);
    expect(h.alerts('offline', 'kutim-r1').map((n) => n.event)).toEqual(['firing']);
    expect(h.alerts('offline', 'kutim-r2').map((n) => n.event)).toEqual(['firing', 'reminder', 'reminder']);
    const state = h.mqtt.sent.filter((n) => n.alert?.siteId === 'kutim-r1').at(-1)?.alert;
    expect(state?.acknowledgedBy).toBe('noc-budi');
  });

  it('an unregistered site seen on the wire is tracked, never dropped, and not notified by default', async () => {
    const h = await harness([]);
    const agent = new SimAgent(new SimSite('stranger-01', START_MS), START_MS);
    await runAgents(h, [agent], START_MS + 20 * MINUTE);
    agent.powerCut();
    await runAgents(h, [agent], h.now + 30 * MINUTE);
    expect(h.webhook.sent).toEqual([]);
    const site = h.service.engine.site('stranger-01');
    expect([site?.registered, site?.offline?.source]).toEqual([false, 'will']);
    const kinds = h.mqtt.sent.map((n) => [n.alert?.kind, n.alert?.cause]);
    expect(kinds).toContainEqual(['data_problem', 'unregistered']);
    expect(kinds).toContainEqual(['offline', 'unknown']);
  });
});
