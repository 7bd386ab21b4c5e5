import { createDelivery, createMemorySpool, type Spool } from '@pantau/agent';
import { encodePayload } from '@pantau/shared';
import { describe, expect, it } from 'vitest';
import { createResendResponder } from '../../../agent/src/delivery/resend-responder.js';
import { FakePublisher } from '../../helpers/fake-publisher.js';
import { FakeClock, silentLogger } from '../../helpers/fakes.js';
import { appendAll } from './spool/spool-contract.js';

const settle = () => new Promise((resolve) => setImmediate(resolve));

function setup(backfillBytesPerSec = 1000) {
  const spool = createMemorySpool(10_000);
  const publisher = new FakePublisher();
  const clock = new FakeClock();
  const delivery = createDelivery(
    { maxBatchSamples: 10, backfillBytesPerSec },
    { spool, publisher, clock, log: silentLogger() },
  );
  return { spool, publisher, clock, delivery };
}

describe('delivery after an outage', () => {
  it('sends the newest batch first, then the backlog oldest first at the byte-rate cap', async () => {
    const { spool, publisher, clock, delivery } = setup(1000);
    await appendAll(
      spool,
      Array.from({ length: 35 }, (_, i) => i),
    );
    await delivery.deliverLive();
    expect(publisher.batches[0]).toEqual([25, 26, 27, 28, 29, 30, 31, 32, 33, 34]);
    await settle();
    expect(publisher.batches[1]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // 10 samples x 100 bytes at 1000 B/s: the next backlog batch waits 1 s.
    expect(publisher.batches).toHaveLength(2);
    clock.advance(999);
    await settle();
    expect(publisher.batches).toHaveLength(2);
    clock.advance(1);
    await settle();
    expect(publisher.batches[2]).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    clock.advance(1000);
    await settle();
    expect(publisher.batches[3]).toEqual([20, 21, 22, 23, 24]);
    expect(spool.depth).toBe(0);
  });

  it('never holds a live batch behind the backlog', async () => {
    const { spool, publisher, clock, delivery } = setup(10);
    await appendAll(
      spool,
      Array.from({ length: 30 }, (_, i) => i),
    );
    await delivery.deliverLive();
    await settle();
    expect(publisher.batches).toHaveLength(2); // live, then the first backlog batch; next one in 100 s
    await appendAll(spool, [30, 31]);
    await delivery.deliverLive();
    // At once, although the backlog's next batch is still 100 s away.
    expect(publisher.batches[2]).toEqual([12, 13, 14, 15, 16, 17, 18, 19, 30, 31]);
    clock.advance(1000);
    await delivery.stop();
  });

  it('leaves a sample unsent until its PUBACK, and sends nothing twice at once', async () => {
    const { spool, publisher, delivery } = setup();
    await appendAll(spool, [0, 1, 2]);
    publisher.hold = true;
    const live = delivery.deliverLive();
    await settle();
    expect(spool.depth).toBe(3);
    await appendAll(spool, [3]);
    const second = delivery.deliverLive();
    await settle();
    expect(publisher.batches).toEqual([[0, 1, 2], [3]]);
    publisher.release();
    await Promise.all([live, second]);
    expect(spool.depth).toBe(0);
  });

  it('on a failed publish keeps the samples for the next connection', async () => {
    const { spool, publisher, delivery } = setup();
    await appendAll(spool, [0, 1]);
    publisher.connected = false;
    await delivery.deliverLive();
    expect(publisher.batches).toEqual([]);
    expect(spool.depth).toBe(2);
  });
});

describe('resend responder', () => {
  it('sends what the spool holds, then replies with what is gone', async () => {
    const spool = createMemorySpool(5);
    await appendAll(
      spool,
      Array.from({ length: 12 }, (_, i) => i),
    ); // 0..6 were dropped (spool of 5)
    spool.markSent([7, 8, 9, 10, 11]);
    const publisher = new FakePublisher();
    const respond = createResendResponder(
      { siteId: 'site-1', maxBatchSamples: 2, maxSamplesPerRequest: 100 },
      { spool, publisher, log: silentLogger() },
    );
    await respond(
      encodePayload('resend', { v: 1, requestId: 'r1', siteId: 'site-1', fromSeq: 5, toSeq: 9, requestedAtMs: 1 }),
    );
    expect(publisher.batches).toEqual([[7, 8], [9]]);
    expect(publisher.replies).toEqual([
      { v: 1, requestId: 'r1', siteId: 'site-1', resentSamples: 3, gone: [{ fromSeq: 5, toSeq: 6 }] },
    ]);
  });

  it('answers a large request a batch at a time: holes, then the per-request cap', async () => {
    const spool = createMemorySpool(100);
    await appendAll(spool, [0, 1, 2, 5, 6, 7, 10, 11, 12, 13]);
    const publisher = new FakePublisher();
    const reads: number[] = [];
    // The same spool, noting how many samples each read may bring into memory.
    const counted: Spool = Object.assign(Object.create(spool) as Spool, {
      range(from: number, to: number, max: number) {
        reads.push(max);
        return spool.range(from, to, max);
      },
    });
    const respond = createResendResponder(
      { siteId: 'site-1', maxBatchSamples: 2, maxSamplesPerRequest: 7 },
      { spool: counted, publisher, log: silentLogger() },
    );
    await respond(
      encodePayload('resend', { v: 1, requestId: 'r2', siteId: 'site-1', fromSeq: 0, toSeq: 20, requestedAtMs: 1 }),
    );
    expect(publisher.batches).toEqual([[0, 1], [2, 5], [6, 7], [10]]);
    expect(publisher.replies).toEqual([
      {
        v: 1,
        requestId: 'r2',
        siteId: 'site-1',
        resentSamples: 7,
        gone: [
          { fromSeq: 3, toSeq: 4 },
          { fromSeq: 8, toSeq: 9 },
        ],
      },
    ]);
    // Never more than a batch read into memory at once.
    expect(Math.max(...reads)).toBeLessThanOrEqual(2);
  });

  it('ignores a request for another site or a malformed one', async () => {
    const publisher = new FakePublisher();
    const respond = createResendResponder(
      { siteId: 'site-1', maxBatchSamples: 2, maxSamplesPerRequest: 100 },
      { spool: createMemorySpool(5), publisher, log: silentLogger() },
    );
    await respond(
      encodePayload('resend', { v: 1, requestId: 'r1', siteId: 'site-2', fromSeq: 0, toSeq: 1, requestedAtMs: 1 }),
    );
    await respond(Buffer.from('{"v":1}'));
    expect(publisher.replies).toEqual([]);
  });
});
