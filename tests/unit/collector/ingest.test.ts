import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createIngest, openSqliteStore, type Store, StoreFailure } from '@pantau/collector';
import { describe, expect, it } from 'vitest';
import { captureLogger } from '../../helpers/fakes.js';

const good = (siteId: string, seq: number) =>
  Buffer.from(
    JSON.stringify({
      v: 1,
      siteId,
      agentVersion: '0.1.0',
      sentAtMs: 1,
      samples: [{ seq, bootId: 'b', wallMs: 1, clockSynced: false, uptimeMs: 1 }],
    }),
  );

function setup(store: Store = openSqliteStore(join(mkdtempSync(join(tmpdir(), 'pantau-ingest-')), 'db.sqlite'))) {
  let now = 1000;
  const { log, lines } = captureLogger();
  const ingest = createIngest(
    { topicRoot: 'pantau/v1', maxPayloadBytes: 4096, quarantineSize: 3 },
    { store, log, nowMs: () => now++ },
  );
  return { ingest, store, lines };
}

describe('ingest', () => {
  it('stores a valid batch and counts a repeat as duplicates', async () => {
    const { ingest, store } = setup();
    await ingest.handle('pantau/v1/site/s1/telemetry', good('s1', 1));
    await ingest.handle('pantau/v1/site/s1/telemetry', good('s1', 1));
    expect(ingest.counters()).toMatchObject({ messages: 2, samplesStored: 1, duplicates: 1, rejected: 0 });
    expect(await store.listSamples('s1')).toHaveLength(1);
  });

  it('rejects, counts by reason and quarantines bad messages, then keeps going', async () => {
    const { ingest, store, lines } = setup();
    await ingest.handle('pantau/v1/site/s1/telemetry', Buffer.from('{nope'));
    await ingest.handle('pantau/v1/site/s1/telemetry', good('s2', 1));
    await ingest.handle('pantau/v1/site/s1/telemetry', Buffer.alloc(5000, 0x41));
    await ingest.handle('pantau/v1/elsewhere', good('s1', 1));
    await ingest.handle('pantau/v1/site/s1/telemetry', Buffer.from('{also bad'));
    await ingest.handle('pantau/v1/site/s1/telemetry', good('s1', 9));
    expect(ingest.counters()).toMatchObject({
      rejected: 5,
      samplesStored: 1,
      rejectsByReason: { invalid_json: 2, site_mismatch: 1, too_large: 1, unknown_topic: 1 },
    });
    expect((await store.listSamples('s2')).length).toBe(0);
    const quarantine = ingest.rejects.quarantine();
    expect(quarantine.map((q) => q.reason)).toEqual(['invalid_json', 'unknown_topic', 'too_large']);
    expect(quarantine[0]?.firstBytesHex).toBe(Buffer.from('{also bad').toString('hex'));
    expect(quarantine[2]?.firstBytesHex).toHaveLength(128);
    // Two invalid_json rejects inside 10 s: one log line.
    expect(lines.filter((l) => l.event === 'message_rejected' && l.reason === 'invalid_json')).toHaveLength(1);
  });

  it('fails (so the message is not acknowledged) when the store fails', async () => {
    const broken: Store = {
      insertBatch: async () => {
        throw new Error('disk I/O error');
      },
      applyStatus: async () => 'applied',
      listSites: async () => [],
      listSamples: async () => [],
      close: async () => {},
    };
    const { ingest } = setup(broken);
    await expect(ingest.handle('pantau/v1/site/s1/telemetry', good('s1', 1))).rejects.toBeInstanceOf(StoreFailure);
  });
});
