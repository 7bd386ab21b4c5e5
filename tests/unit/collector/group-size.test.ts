import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectorConfigSchema, createCollector, openSqliteStore, type Store } from '@pantau/collector';
import { encodePayload } from '@pantau/shared';
import { describe, expect, it } from 'vitest';
import { captureLogger } from '../../helpers/fakes.js';

/** A SQLite store that records the size of each group it commits, and says where it commits. */
function recordingStore(commitsOffThread: boolean): { store: Store; groups: number[] } {
  const inner = openSqliteStore(join(mkdtempSync(join(tmpdir(), 'pantau-groups-')), 'db.sqlite'));
  const groups: number[] = [];
  return {
    groups,
    store: {
      ...inner,
      commitsOffThread,
      async insertBatches(items) {
        groups.push(items.length);
        return inner.insertBatches(items);
      },
    },
  };
}

/** Eight messages arriving together, one per connection, as eight connections hand them over. */
async function groupsOf(commitsOffThread: boolean, groupCommitMax?: number): Promise<number[]> {
  const { store, groups } = recordingStore(commitsOffThread);
  const config = collectorConfigSchema.parse({
    mqtt: { url: 'mqtt://127.0.0.1:1' },
    ingest: { connections: 8, ...(groupCommitMax === undefined ? {} : { groupCommitMax }) },
  });
  const collector = createCollector({ config, store, log: captureLogger().log, nowMs: () => Date.UTC(2026, 10, 23) });
  const payload = (site: string) =>
    encodePayload('telemetry', {
      v: 1,
      siteId: site,
      agentVersion: '0.1.0',
      sentAtMs: 1,
      samples: [{ seq: 1, bootId: 'b', wallMs: 1, clockSynced: false, uptimeMs: 1 }],
    });
  await Promise.all(
    Array.from({ length: 8 }, (_, i) => collector.ingest.handle(`pantau/v1/site/s${i}/telemetry`, payload(`s${i}`))),
  );
  expect(collector.ingest.counters().samplesStored).toBe(8);
  await store.close();
  return groups;
}

describe('group commits', () => {
  it("commit every connection's message at once when the store commits on this thread", async () => {
    expect(await groupsOf(false)).toEqual([8]);
  });

  it('commit a quarter of the connections at a time when the store commits off this thread', async () => {
    expect(await groupsOf(true)).toEqual([2, 2, 2, 2]);
  });

  it('follow ingest.groupCommitMax when it is set', async () => {
    expect(await groupsOf(true, 8)).toEqual([8]);
  });
});
