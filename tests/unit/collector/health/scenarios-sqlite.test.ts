import { join } from 'node:path';
import { openSqliteStore, type Store } from '@pantau/collector';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { tempDirs } from '../../../helpers/temp-dirs.js';
import { HOUR, harness, kutimSite, MINUTE, runAgents, SimAgent, SimSite, START_MS } from './sim.js';

/*
 * The "Done when" scenarios with the service persisting to a real SQLite store (state, alert
 * records, transitions and the outbox in one transaction per event), across a collector restart
 * that opens the database file again.
 */
const dirs = tempDirs();
const open: Store[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});
afterAll(() => dirs.removeAll());

function sqlite(path = join(dirs.make('health-sqlite'), 'pantau.sqlite')): { store: Store; path: string } {
  const store = openSqliteStore(path);
  open.push(store);
  return { store, path };
}

describe('health scenarios on a real SQLite store', () => {
  it('a night where the battery runs flat, back at sunrise: power, across a collector restart in the night', async () => {
    const { store, path } = sqlite();
    let h = await harness([kutimSite('kutim-a', '64.08.05', { lowVoltageDisconnectVolts: 11.5 })], { store });
    const agent = new SimAgent(new SimSite('kutim-a', START_MS), START_MS);
    const dusk = START_MS + 2 * HOUR;
    agent.battery = (t) => (t < dusk ? 12.6 : 12.6 - (0.25 * (t - dusk)) / HOUR);
    const flatAt = dusk + 4.4 * HOUR;
    await runAgents(h, [agent], flatAt);
    agent.powerCut();
    await runAgents(h, [agent], flatAt + HOUR);
    expect(h.alerts('offline', 'kutim-a').map((n) => [n.event, n.alert?.cause])).toEqual([['firing', 'power']]);

    // The collector restarts in the night: the database file is opened again; nothing is told twice.
    await store.close();
    const reopened = sqlite(path).store;
    h = await h.restart(reopened);
    const back = Date.UTC(2026, 10, 23, 22, 50);
    await runAgents(h, [agent], back - 1);
    agent.powerOn(back);
    await runAgents(h, [agent], back + 15 * MINUTE);
    expect(h.alerts('offline', 'kutim-a').map((n) => [n.event, n.alert?.cause])).toEqual([
      ['firing', 'power'],
      ['resolved', 'power'],
    ]);
    const history = (await reopened.history('kutim-a', START_MS, h.now + 1)).filter((t) => t.kind === 'offline');
    expect(history.slice(0, 2).map((t) => [t.event, t.cause])).toEqual([
      ['began', 'power'],
      ['ended', 'power'],
    ]);
    expect(await reopened.waiting('webhook')).toBe(0);
  });

  it('an uplink outage with the Pi on: unknown first, revised to link once the backfill arrives', async () => {
    const { store } = sqlite();
    const h = await harness([kutimSite('kutim-b')], { store });
    const agent = new SimAgent(new SimSite('kutim-b', START_MS), START_MS);
    agent.battery = () => 12.8;
    await runAgents(h, [agent], START_MS + HOUR);
    const downAt = h.now;
    agent.linkDown();
    await runAgents(h, [agent], downAt + 40 * MINUTE);
    agent.linkRestored(h.now);
    await runAgents(h, [agent], h.now + 10 * MINUTE);
    expect(h.alerts('offline', 'kutim-b').map((n) => [n.event, n.alert?.cause, n.alert?.firstCause])).toEqual([
      ['firing', 'unknown', null],
      ['resolved', 'link', 'unknown'],
    ]);
    const history = (await store.history('kutim-b', START_MS, h.now + 1)).filter((t) => t.kind === 'offline');
    expect(history.map((t) => [t.event, t.cause, t.previousCause])).toEqual([
      ['began', 'unknown', null],
      ['ended', 'unknown', null],
      ['cause_revised', 'link', 'unknown'],
    ]);
    expect(Math.abs((history[2]?.sinceMs ?? 0) - downAt)).toBeLessThanOrEqual(MINUTE);
  });

  it('a broker restart whose wills arrive just before the collector sees its connection drop: no site alert', async () => {
    const { store } = sqlite();
    const records = Array.from({ length: 6 }, (_, i) => kutimSite(`site-${i}`, i % 2 === 0 ? '64.08.01' : '64.08.02'));
    const agents = records.map(
      (r, i) => new SimAgent(new SimSite(r.siteId, START_MS), START_MS, (i * 4999) % (5 * MINUTE)),
    );
    const h = await harness(records, { store });
    await runAgents(h, agents, START_MS + 30 * MINUTE);
    const stopMs = h.now;
    // A clean broker stop: every will first (too few sites for a storm), then the collector's own connection.
    for (const a of agents) {
      a.connected = false;
      a.willSent = true;
      a.reconnectAtMs = stopMs + 3 * MINUTE; // agents back off for minutes
      await h.service.onStatus(a.site.will(), stopMs);
    }
    await h.service.onBroker(false, stopMs + 1000);
    await runAgents(h, agents, stopMs + 20_000);
    await h.service.onBroker(true, h.now);
    await runAgents(h, agents, stopMs + 30 * MINUTE);
    expect(h.alerts('offline')).toEqual([]);
    expect(h.incidents().map((n) => [n.event, n.incident?.cause])).toEqual([
      ['firing', 'broker_connection_lost'],
      ['resolved', 'broker_connection_lost'],
    ]);
    expect((await store.history(null, START_MS, h.now + 1)).map((t) => [t.event, t.cause])).toEqual([
      ['began', 'broker_connection_lost'],
      ['ended', 'broker_connection_lost'],
    ]);
  });
});
