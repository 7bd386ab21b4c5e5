import { join } from 'node:path';
import {
  createHealthRunner,
  createSunCache,
  type HealthHorizon,
  type HttpPoster,
  healthConfigSchema,
  newNocState,
  openSqliteStore,
} from '@pantau/collector';
import { siteStatusSchema, telemetryBatchSchema } from '@pantau/shared';
import { afterAll, describe, expect, it } from 'vitest';
import { captureLogger, silentLogger } from '../../../helpers/fakes.js';
import { manualTimers } from '../../../helpers/manual-timers.js';
import { tempDirs } from '../../../helpers/temp-dirs.js';
import { kutimSite } from './sim.js';

const dirs = tempDirs();
afterAll(() => dirs.removeAll());
const T0 = Date.UTC(2026, 10, 23, 8);

/** Answers Alertmanager at once; holds every webhook request until released (a hung receiver). */
function posters() {
  const sent: { url: string; body: string }[] = [];
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const poster: HttpPoster = {
    async post(url, body) {
      if (url.includes('/hook')) await held;
      sent.push({ url, body });
      return { status: url.includes('/hook') ? 204 : 200, body: '' };
    },
  };
  return { poster, sent, release: () => release() };
}

describe('health in serve (the runner)', () => {
  it('feeds statuses and batches, evaluates on its timer, delivers while a hung webhook waits, stops cleanly', async () => {
    const store = openSqliteStore(join(dirs.make('runner'), 'pantau.sqlite'));
    await store.upsert([kutimSite('kutim-01')]);
    let now = T0;
    const timers = manualTimers();
    const http = posters();
    const config = healthConfigSchema.parse({
      offline: { willSettleSec: 0 },
      noc: { startupGraceSec: 0 },
      alerts: { tolerance: { offline: { fireAfterSec: 0 } }, grouping: { waitSec: 0 } },
      delivery: {
        mqtt: { enabled: false },
        webhook: { url: 'http://127.0.0.1:9/hook', secret: 'sixteen-chars-secret' },
        alertmanager: { url: 'http://127.0.0.1:9' },
      },
    });
    let ids = 0;
    const runner = createHealthRunner({
      config,
      topicRoot: 'pantau/v1',
      store,
      publisher: { publish: async () => {} },
      poster: http.poster,
      userAgent: 'test',
      nowMs: () => now,
      random: () => 0.5,
      newId: (prefix) => `${prefix}/${++ids}`,
      sun: createSunCache(),
      every: timers.every,
      log: silentLogger(),
    });
    await runner.start();
    const status = (state: 'online' | 'offline', reason: 'connected' | 'connection_lost') =>
      siteStatusSchema.parse({
        v: 1,
        siteId: 'kutim-01',
        state,
        reason,
        epoch: 1,
        atMs: now,
        bootId: 'b1',
        agentVersion: '0.1.0',
      });
    const batch = telemetryBatchSchema.parse({
      v: 1,
      siteId: 'kutim-01',
      agentVersion: '0.1.0',
      sentAtMs: now,
      samples: [{ seq: 1, bootId: 'b1', wallMs: now, clockSynced: true, uptimeMs: 3_600_000, probes: {} }],
    });
    await runner.onStatus(status('online', 'connected'), now);
    await runner.onBatch(batch, now);
    await runner.idle();
    now += 60_000;
    await runner.onStatus(status('offline', 'connection_lost'), now);
    for (let i = 0; i < 3; i++) {
      now += 5000;
      timers.fire(config.evaluateIntervalSec * 1000);
      await runner.idle();
    }
    // Alertmanager has the alert although the webhook has not answered its first request yet.
    const am = http.sent.filter((r) => !r.url.includes('/hook')).map((r) => JSON.parse(r.body));
    expect(
      am.flat().map((a: { labels: Record<string, string> }) => [a.labels.site, a.labels.alertname]),
    ).toContainEqual(['kutim-01', 'pantau_offline']);
    expect(http.sent.filter((r) => r.url.includes('/hook'))).toEqual([]);
    // The evaluation passes went on meanwhile (the last one was saved).
    expect((await store.load()).savedAtMs).toBe(now);
    http.release();
    timers.fire(config.evaluateIntervalSec * 1000);
    await runner.stop();
    expect(http.sent.some((r) => r.url.includes('/hook') && r.body.includes('"kind":"offline"'))).toBe(true);
    expect(timers.count()).toBe(0);
    await store.close();
  });

  it('deletes old history and outbox items on its timer, and tries again after a failure', async () => {
    const store = openSqliteStore(join(dirs.make('runner-prune'), 'pantau.sqlite'));
    const DAY = 86_400_000;
    const now = T0 + 500 * DAY;
    const line = (atMs: number, event: 'began' | 'ended') => ({
      siteId: 'kutim-01',
      kind: 'offline' as const,
      event,
      atMs,
      sinceMs: T0,
      cause: 'power',
      detail: 'unclean_reboot',
      previousCause: null,
      previousDetail: null,
      episodeId: null,
    });
    await store.commit({
      sites: [],
      noc: newNocState(T0),
      alerts: [],
      incidents: [],
      transitions: [line(T0, 'began'), line(T0 + DAY, 'ended'), line(now - DAY, 'began')],
      outbox: [],
      savedAtMs: T0,
    });
    let failures = 1;
    const horizons: HealthHorizon[] = [];
    const flaky: typeof store = {
      ...store,
      async pruneHealth(horizon) {
        horizons.push(horizon);
        if (failures-- > 0) throw new Error('SQLITE_BUSY: database is locked');
        return store.pruneHealth(horizon);
      },
    };
    const timers = manualTimers();
    const { log, lines } = captureLogger('info');
    const config = healthConfigSchema.parse({ delivery: { mqtt: { enabled: false } } });
    const runner = createHealthRunner({
      config,
      topicRoot: 'pantau/v1',
      store: flaky,
      publisher: { publish: async () => {} },
      poster: posters().poster,
      userAgent: 'test',
      nowMs: () => now,
      random: () => 0.5,
      newId: (prefix) => `${prefix}/1`,
      sun: createSunCache(),
      every: timers.every,
      log,
    });
    await runner.start();
    const pruneMs = config.retention.pruneIntervalSec * 1000;
    for (let run = 0; run < 2; run++) {
      timers.fire(pruneMs);
      await runner.idle();
    }
    expect(horizons).toHaveLength(2);
    expect(horizons[0]?.historyBeforeMs).toBe(now - 401 * DAY);
    expect(horizons[0]?.outboxBeforeMs).toBe(now - 30 * DAY);
    expect(lines.filter((l) => l.event === 'health_prune').map((l) => l.level)).toEqual([50]);
    expect(lines.find((l) => l.event === 'health_pruned')).toMatchObject({ transitions: 2 });
    expect((await store.history('kutim-01', 0, now)).map((t) => t.atMs)).toEqual([now - DAY]);
    await runner.stop();
    await store.close();
  });
});
