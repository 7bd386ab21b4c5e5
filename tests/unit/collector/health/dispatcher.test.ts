import {
  type AlertSink,
  backoffMs,
  createDispatcher,
  createMemoryHealthStore,
  type Notification,
  type OutboxItem,
} from '@pantau/collector';
import { describe, expect, it, vi } from 'vitest';
import { item, notification } from '../../../contract/health-fixtures.js';
import { silentLogger } from '../../../helpers/fakes.js';

async function fill(store: ReturnType<typeof createMemoryHealthStore>, items: OutboxItem[]) {
  await store.commit({
    sites: [],
    noc: {
      brokerUp: true,
      watchFromMs: 0,
      graceUntilMs: 0,
      grace: null,
      storm: null,
      recentWillsMs: [],
      liveSites: 0,
    },
    alerts: [],
    incidents: [],
    transitions: [],
    outbox: items,
    savedAtMs: 0,
  });
}

describe('alert dispatcher', () => {
  it('backs off exponentially, half fixed and half random, up to the ceiling', () => {
    expect(backoffMs(0, 5000, 600_000, () => 0)).toBe(2500);
    expect(backoffMs(0, 5000, 600_000, () => 0.999999)).toBe(5000);
    expect(backoffMs(3, 5000, 600_000, () => 0.5)).toBe(30_000);
    expect(backoffMs(20, 5000, 600_000, () => 0)).toBe(300_000);
  });

  it('a failing or hanging sink never holds back the others; its items wait and are retried', async () => {
    const store = createMemoryHealthStore();
    let now = 1000;
    const got: string[] = [];
    let webhookUp = false;
    let release: () => void = () => {};
    const hung = new Promise<void>((resolve) => {
      release = resolve;
    });
    const record = (name: string) => async (n: Notification) => {
      got.push(`${name}:${n.id}`);
      return { ok: true } as const;
    };
    const sinks: AlertSink[] = [
      {
        name: 'webhook',
        send: async (n) => (webhookUp ? record('webhook')(n) : { ok: false, retryable: true, error: 'http_503' }),
      },
      { name: 'mqtt', send: record('mqtt') },
      {
        name: 'alertmanager',
        send: async () => {
          await hung;
          return { ok: true };
        },
      },
    ];
    const dispatcher = createDispatcher(
      { retryMinMs: 5000, retryMaxMs: 60_000, maxAgeMs: 86_400_000, batch: 10 },
      { outbox: store, sinks, nowMs: () => now, random: () => 0, log: silentLogger() },
    );
    const a = notification('a', 'site-1/offline', 0);
    const b = notification('b', 'site-1/offline', 0);
    const c = notification('c', 'site-2/offline', 0);
    await fill(
      store,
      [a, b, c].flatMap((n) => [item('webhook', n), item('mqtt', n), item('alertmanager', n)]),
    );
    const stuck = dispatcher.pump();
    // mqtt delivers everything while the webhook fails and Alertmanager hangs; within a key, b waits behind a.
    await vi.waitFor(() => expect(got).toEqual(['mqtt:a', 'mqtt:c', 'mqtt:b']));
    await vi.waitFor(async () => expect(dispatcher.counters().get('webhook')?.failed).toBe(2));
    expect(await store.waiting('webhook')).toBe(3);
    webhookUp = true;
    now += 2000; // before the first retry is due: nothing is sent
    await dispatcher.pump();
    expect(got.filter((g) => g.startsWith('webhook'))).toEqual([]);
    now += 3000;
    await dispatcher.pump();
    expect(got.filter((g) => g.startsWith('webhook'))).toEqual(['webhook:a', 'webhook:c', 'webhook:b']);
    release();
    await stuck;
    expect(await store.waiting('alertmanager')).toBe(0);
    expect(dispatcher.counters().get('webhook')).toEqual({ delivered: 3, failed: 2, givenUp: 0 });
  });

  it('gives up an item the receiver refuses for good, or one too old, and keeps it apart', async () => {
    const store = createMemoryHealthStore();
    let now = 0;
    const dispatcher = createDispatcher(
      { retryMinMs: 1000, retryMaxMs: 1000, maxAgeMs: 10_000, batch: 10 },
      {
        outbox: store,
        sinks: [
          {
            name: 'webhook',
            send: async (n) =>
              n.id === 'refused'
                ? { ok: false, retryable: false, error: 'http_400' }
                : { ok: false, retryable: true, error: 'down' },
          },
        ],
        nowMs: () => now,
        random: () => 0,
        log: silentLogger(),
      },
    );
    await fill(store, [
      item('webhook', notification('refused', 'k1', 0)),
      item('webhook', notification('old', 'k2', 0)),
    ]);
    await dispatcher.pump();
    expect(store.givenUp().map((i) => i.notification.id)).toEqual(['refused']);
    now = 11_000;
    await dispatcher.pump();
    expect(store.givenUp().map((i) => [i.notification.id, i.lastError])).toEqual([
      ['refused', 'http_400'],
      ['old', 'down'],
    ]);
    expect(await store.waiting('webhook')).toBe(0);
  });
});
