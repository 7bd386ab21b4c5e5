import { join } from 'node:path';
import { createIngest, openSqliteStore, type Store, StoreFailure } from '@pantau/collector';
import type { ResendReply } from '@pantau/shared';
import { afterAll, describe, expect, it } from 'vitest';
import { captureLogger } from '../../helpers/fakes.js';
import { tempDirs } from '../../helpers/temp-dirs.js';

const dirs = tempDirs();
afterAll(() => dirs.removeAll());
const freshStore = () => openSqliteStore(join(dirs.make('ingest'), 'db.sqlite'));

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

function setup(store: Store = freshStore(), startMs = 1000) {
  let now = startMs;
  const { log, lines } = captureLogger();
  const replies: ResendReply[] = [];
  const ingest = createIngest(
    { topicRoot: 'pantau/v1', maxPayloadBytes: 4096, quarantineSize: 3 },
    {
      store,
      log,
      nowMs: () => now++,
      onResendReply: async (r) => {
        replies.push(r);
      },
    },
  );
  return { ingest, store, lines, replies };
}

const NOW = Date.UTC(2026, 10, 23);
const timed = (seq: number, wallMs: number, clockSynced: boolean) =>
  Buffer.from(
    JSON.stringify({
      v: 1,
      siteId: 's1',
      agentVersion: '0.1.0',
      sentAtMs: 1,
      samples: [{ seq, bootId: 'b', wallMs, clockSynced, uptimeMs: 1 }],
    }),
  );

describe('ingest', () => {
  it('stores a valid batch and counts a repeat as duplicates', async () => {
    const { ingest, store } = setup();
    await ingest.handle('pantau/v1/site/s1/telemetry', good('s1', 1));
    await ingest.handle('pantau/v1/site/s1/telemetry', good('s1', 1));
    expect(ingest.counters()).toMatchObject({ messages: 2, samplesStored: 1, duplicates: 1, rejected: 0 });
    expect(await store.listSamples('s1')).toHaveLength(1);
    expect((await store.counters()).duplicates).toBe(1);
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
      ...freshStore(),
      insertBatches: async () => {
        throw new Error('disk I/O error');
      },
    };
    const { ingest } = setup(broken);
    await expect(ingest.handle('pantau/v1/site/s1/telemetry', good('s1', 1))).rejects.toBeInstanceOf(StoreFailure);
  });

  it('rejects synchronised samples far in the future or past, and keeps unsynchronised ones to re-base', async () => {
    const { ingest, store } = setup(undefined, NOW);
    const day = 86_400_000;
    await ingest.handle('pantau/v1/site/s1/telemetry', timed(1, NOW + 2 * day, true));
    await ingest.handle('pantau/v1/site/s1/telemetry', timed(2, NOW - 100 * day, true));
    await ingest.handle('pantau/v1/site/s1/telemetry', timed(3, NOW + 2 * day, false));
    await ingest.handle('pantau/v1/site/s1/telemetry', timed(4, NOW - 60_000, true));
    expect(ingest.counters()).toMatchObject({ rejected: 2, rejectsByReason: { time_out_of_bounds: 2 } });
    expect((await store.listSamples('s1')).map((s) => [s.seq, s.timeQuality])).toEqual([
      // Seq 4 is a synchronised sample of the same boot: seq 3 is re-based from it.
      [3, 'corrected'],
      [4, 'measured'],
    ]);
  });

  it('keeps rejects in the store for the NOC, bounded like the ring', async () => {
    const { ingest, store } = setup();
    for (let i = 0; i < 5; i++) await ingest.handle('pantau/v1/site/s1/telemetry', Buffer.from(`{bad ${i}`));
    const kept = await store.listRejects(100);
    expect(kept).toHaveLength(3);
    expect(kept[0]).toMatchObject({ reason: 'invalid_json', topic: 'pantau/v1/site/s1/telemetry' });
    expect(kept[0]?.firstBytesHex).toBe(Buffer.from('{bad 4').toString('hex'));
    expect((await store.counters()).rejectsByReason).toEqual({ invalid_json: 5 });
  });

  it('passes resend replies on, and checks their site too', async () => {
    const { ingest, replies } = setup();
    const reply = { v: 1, requestId: 'r1', siteId: 's1', resentSamples: 0, gone: [{ fromSeq: 3, toSeq: 4 }] };
    await ingest.handle('pantau/v1/site/s1/resend-reply', Buffer.from(JSON.stringify(reply)));
    await ingest.handle('pantau/v1/site/s2/resend-reply', Buffer.from(JSON.stringify(reply)));
    expect(replies).toEqual([reply]);
    expect(ingest.counters()).toMatchObject({ resendReplies: 1, rejectsByReason: { site_mismatch: 1 } });
  });
});
