import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectorConfigSchema, openConfiguredStore } from '@pantau/collector';
import { describe, expect, it } from 'vitest';

const configWith = (ingest: object, store: object = {}) =>
  collectorConfigSchema.parse({
    store: { sqlitePath: join(mkdtempSync(join(tmpdir(), 'pantau-open-')), 'pantau.sqlite'), ...store },
    // Several ingest connections share a subscription, which needs an external broker.
    mqtt: { url: 'mqtt://127.0.0.1:1883' },
    ingest,
  });

describe('openConfiguredStore', () => {
  it('keeps SQLite on the main thread for one ingest connection, on a worker for several', async () => {
    const one = await openConfiguredStore(configWith({ connections: 1 }));
    const several = await openConfiguredStore(configWith({ connections: 8 }));
    try {
      expect(one.commitsOffThread ?? false).toBe(false);
      expect(several.commitsOffThread).toBe(true);
    } finally {
      await one.close();
      await several.close();
    }
  });

  it('follows store.sqliteWorker when it is set', async () => {
    const forced = await openConfiguredStore(configWith({ connections: 1 }, { sqliteWorker: true }));
    const kept = await openConfiguredStore(configWith({ connections: 8 }, { sqliteWorker: false }));
    try {
      expect(forced.commitsOffThread).toBe(true);
      expect(kept.commitsOffThread ?? false).toBe(false);
    } finally {
      await forced.close();
      await kept.close();
    }
  });
});
