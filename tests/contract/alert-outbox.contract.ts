import type { AlertOutbox, HealthStateStore } from '@pantau/collector';
import { describe, expect, it } from 'vitest';
import { change, freshEachTest, item, notification, T0 } from './health-fixtures.js';

type Open = () => Promise<HealthStateStore & AlertOutbox & { close(): Promise<void> }>;

/** The alert outbox role (AlertOutbox): filled by health commits, drained per sink, in order per key. */
export function alertOutboxContract(name: string, open: Open): void {
  describe(`AlertOutbox contract: ${name}`, () => {
    let store: HealthStateStore & AlertOutbox;
    freshEachTest(open, (s) => {
      store = s;
    });
    const ids = (items: readonly { notification: { id: string } }[]) => items.map((i) => i.notification.id);

    it('gives due items oldest first, each sink on its own, and forgets what was delivered', async () => {
      const a1 = notification('a/1', 'a/offline');
      const b1 = notification('b/1', 'b/offline');
      const later = notification('c/1', 'c/offline', T0 + 60_000);
      await store.commit(change({ outbox: [item('webhook', a1), item('webhook', b1), item('mqtt', a1)] }));
      await store.commit(change({ outbox: [item('webhook', later)] }));
      expect(ids(await store.due('webhook', T0, 10))).toEqual(['a/1', 'b/1']);
      expect(ids(await store.due('webhook', T0 + 60_000, 1))).toEqual(['a/1']);
      expect(ids(await store.due('mqtt', T0, 10))).toEqual(['a/1']);
      expect(await store.due('alertmanager', T0, 10)).toEqual([]);
      expect(await store.due('webhook', T0, 10)).toEqual([item('webhook', a1), item('webhook', b1)]);
      await store.delivered('webhook', 'a/1');
      expect(ids(await store.due('webhook', T0 + 60_000, 10))).toEqual(['b/1', 'c/1']);
      expect(await store.waiting('webhook')).toBe(2);
      expect(await store.waiting('mqtt')).toBe(1);
    });

    it("holds a key's later items while an earlier one waits its retry, others pass", async () => {
      const fire = notification('a/firing', 'a/offline');
      const resolve = notification('a/resolved', 'a/offline', T0 + 1000);
      const other = notification('b/firing', 'b/offline', T0 + 1000);
      await store.commit(change({ outbox: [item('webhook', fire), item('webhook', resolve), item('webhook', other)] }));
      await store.retryLater('webhook', 'a/firing', T0 + 30_000, 'http_503: busy');
      expect(ids(await store.due('webhook', T0 + 1000, 10))).toEqual(['b/firing']);
      const [retried] = await store.due('webhook', T0 + 30_000, 10);
      expect(retried).toEqual({
        ...item('webhook', fire),
        attempts: 1,
        nextAttemptMs: T0 + 30_000,
        lastError: 'http_503: busy',
      });
      await store.delivered('webhook', 'a/firing');
      expect(ids(await store.due('webhook', T0 + 30_000, 10))).toEqual(['a/resolved', 'b/firing']);
    });

    it('sets a given-up item apart: no longer due or waiting, and no longer holding its key', async () => {
      const refused = notification('a/1', 'a/offline');
      const next = notification('a/2', 'a/offline', T0 + 1);
      await store.commit(change({ outbox: [item('alertmanager', refused), item('alertmanager', next)] }));
      await store.giveUp('alertmanager', 'a/1', 'http_400: bad labels');
      expect(ids(await store.due('alertmanager', T0 + 1, 10))).toEqual(['a/2']);
      expect(await store.waiting('alertmanager')).toBe(1);
    });

    it('queues a notification once per sink, however often the same decision is saved', async () => {
      const n = notification('a/offline/firing/1', 'a/offline');
      await store.commit(change({ outbox: [item('webhook', n)] }));
      await store.commit(change({ outbox: [item('webhook', n), item('alertmanager', n)] }));
      expect(await store.waiting('webhook')).toBe(1);
      expect(await store.waiting('alertmanager')).toBe(1);
      await store.delivered('webhook', n.id);
      expect(await store.waiting('webhook')).toBe(0);
    });
  });
}
