import { join } from 'node:path';
import { createHealthRunner, createSunCache, healthConfigSchema, openSqliteStore, type Store } from '@pantau/collector';
import { siteStatusSchema } from '@pantau/shared';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../helpers/fakes.js';
import { manualTimers } from '../../../helpers/manual-timers.js';
import { tempDirs } from '../../../helpers/temp-dirs.js';
import { kutimSite } from './sim.js';

const dirs = tempDirs();
afterAll(() => dirs.removeAll());
const T0 = Date.UTC(2026, 10, 23, 8);

const config = healthConfigSchema.parse({
  offline: { willSettleSec: 0 },
  noc: { startupGraceSec: 0 },
  alerts: { tolerance: { offline: { fireAfterSec: 0 } }, grouping: { waitSec: 0 } },
  delivery: { mqtt: { enabled: false } },
});

/** A runner over `store` whose timers the test fires by hand, on a clock it moves. */
function runnerOn(store: Store, clock: { now: number }) {
  const timers = manualTimers();
  let ids = 0;
  const runner = createHealthRunner({
    config,
    topicRoot: 'pantau/v1',
    store,
    publisher: { publish: async () => {} },
    poster: { post: async () => ({ status: 200, body: '' }) },
    userAgent: 'test',
    nowMs: () => clock.now,
    random: () => 0.5,
    newId: (prefix) => `${prefix}/${clock.now}-${++ids}`,
    sun: createSunCache(),
    every: timers.every,
    log: silentLogger(),
  });
  const fire = async (ms: number) => {
    timers.fire(ms);
    await runner.idle();
  };
  return {
    runner,
    evaluate: () => fire(config.evaluateIntervalSec * 1000),
    sync: () => fire(config.syncIntervalSec * 1000),
  };
}

const status = (state: 'online' | 'offline', reason: 'connected' | 'connection_lost', atMs: number) =>
  siteStatusSchema.parse({
    v: 1,
    siteId: 'kutim-01',
    state,
    reason,
    epoch: 1,
    atMs,
    bootId: 'b1',
    agentVersion: '0.1.0',
  });

/** kutim-01 online, then its will: its offline alert fires. */
async function offlineSite(store: Store, clock: { now: number }) {
  await store.upsert([kutimSite('kutim-01')]);
  const r = runnerOn(store, clock);
  await r.runner.start();
  await r.runner.onStatus(status('online', 'connected', clock.now), clock.now);
  clock.now += 60_000;
  await r.runner.onStatus(status('offline', 'connection_lost', clock.now), clock.now);
  for (let i = 0; i < 3; i++) {
    clock.now += 5000;
    await r.evaluate();
  }
  const [alert] = await store.fleetAlerts(false);
  expect(alert).toMatchObject({ key: 'kutim-01/offline', phase: 'firing' });
  return r;
}

async function expectEndedAsDecommissioned(store: Store, atMs: number) {
  expect(await store.fleetAlerts(false)).toEqual([]);
  const [alert] = await store.fleetAlerts(true);
  expect(alert).toMatchObject({
    phase: 'resolved',
    endedBy: 'decommissioned',
    detail: 'decommissioned',
    endsAtMs: atMs,
  });
  const history = await store.history('kutim-01', T0, atMs + 1);
  expect(history.map((t) => [t.kind, t.event, t.detail]).at(-1)).toEqual(['offline', 'ended', 'decommissioned']);
}

describe('health in serve: a site decommissioned by the command', () => {
  it('is read back on the next registry sync: its alert ends as decommissioned, its silence raises nothing', async () => {
    const store = openSqliteStore(join(dirs.make('runner-decom'), 'pantau.sqlite'));
    const clock = { now: T0 };
    const r = await offlineSite(store, clock);
    await store.decommission('kutim-01', clock.now);
    const syncedMs = clock.now + 1000;
    clock.now = syncedMs;
    await r.sync();
    await expectEndedAsDecommissioned(store, syncedMs);
    for (let i = 0; i < 20; i++) {
      clock.now += 600_000;
      await r.evaluate();
    }
    expect(await store.fleetAlerts(false)).toEqual([]);
    await r.runner.stop();
    await store.close();
  });

  it('decommissioned while the collector was stopped: what it had open ends when the collector starts', async () => {
    const store = openSqliteStore(join(dirs.make('runner-decom-stopped'), 'pantau.sqlite'));
    const clock = { now: T0 };
    const first = await offlineSite(store, clock);
    await first.runner.stop();
    clock.now += 3_600_000;
    await store.decommission('kutim-01', clock.now);
    clock.now += 60_000;
    const second = runnerOn(store, clock);
    await second.runner.start();
    await second.runner.idle();
    await expectEndedAsDecommissioned(store, clock.now);
    await second.runner.stop();
    await store.close();
  });
});
