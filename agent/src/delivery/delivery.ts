import { guard, type Logger, type SampleInput } from '@pantau/shared';
import { type Clock, sleep } from '../clock.js';
import type { Publisher } from './mqtt/publisher.js';
import type { Spool } from './spool/spool.js';

export interface DeliveryOptions {
  /** The most samples one batch carries. */
  readonly maxBatchSamples: number;
  /** Backlog (after an outage) is sent at most this fast, so the village's link stays usable. */
  readonly backfillBytesPerSec: number;
}

export interface DeliveryDeps {
  readonly spool: Spool;
  readonly publisher: Publisher;
  readonly clock: Clock;
  readonly log: Logger;
}

/**
 * Moves samples from the spool to the broker. A sample leaves the unsent part of the spool only
 * after its PUBACK. Live delivery sends the newest unsent batch at once; the backlog that an outage
 * left behind drains oldest first in a separate loop, paced by a byte-rate cap, so a live batch
 * never waits behind it and the NOC sees a returning site alive with its newest sample first.
 */
export interface Delivery {
  /** Sends the newest unsent batch now, then lets the backlog drain. */
  deliverLive(): Promise<void>;
  /** Sends everything unsent, without the rate cap, until done or `deadlineMs` passes. */
  flush(deadlineMs: number): Promise<void>;
  /** Ends the backlog loop. */
  stop(): Promise<void>;
  readonly backlogRunning: boolean;
}

export function createDelivery(options: DeliveryOptions, deps: DeliveryDeps): Delivery {
  const { spool, publisher, clock, log } = deps;
  /** Samples handed to the broker and not yet acknowledged: never sent twice at once. */
  const inFlight = new Set<number>();
  let backlog: Promise<void> | null = null;
  const stopping = new AbortController();

  function pick(order: 'oldest' | 'newest'): SampleInput[] {
    // Look past the ones in flight; the spool returns at most what it holds.
    const candidates = spool.unsent(order, options.maxBatchSamples + inFlight.size);
    const batch = candidates.filter((s) => !inFlight.has(s.seq)).slice(0, options.maxBatchSamples);
    return order === 'newest' ? batch.reverse() : batch;
  }

  /** Publishes one batch; true when the broker acknowledged it. Returns its size in bytes. */
  async function send(batch: readonly SampleInput[]): Promise<number | null> {
    for (const s of batch) inFlight.add(s.seq);
    try {
      const result = await publisher.publishSamples(batch);
      if (!result.ok) {
        log.warn({ event: 'delivery_deferred', code: result.code, depth: spool.depth }, result.message);
        return null;
      }
      spool.markSent(batch.map((s) => s.seq));
      return result.value;
    } finally {
      for (const s of batch) inFlight.delete(s.seq);
    }
  }

  async function drainBacklog(): Promise<void> {
    while (!stopping.signal.aborted && publisher.connected && spool.depth > inFlight.size) {
      const batch = pick('oldest');
      if (batch.length === 0) return;
      const bytes = await send(batch);
      if (bytes === null) return;
      log.debug({ event: 'backlog_batch', samples: batch.length, bytes, depth: spool.depth }, 'backlog batch sent');
      await sleep(clock, Math.ceil((bytes / options.backfillBytesPerSec) * 1000), stopping.signal);
    }
  }

  function startBacklog(): void {
    if (backlog !== null || stopping.signal.aborted) return;
    backlog = guard(log, 'backlog', drainBacklog)().finally(() => {
      backlog = null;
    });
  }

  return {
    async deliverLive() {
      if (!publisher.connected || stopping.signal.aborted) return;
      const batch = pick('newest');
      if (batch.length > 0 && (await send(batch)) === null) return;
      startBacklog();
    },
    async flush(deadlineMs) {
      stopping.abort();
      await backlog;
      const deadline = clock.monotonicMs() + deadlineMs;
      while (publisher.connected && spool.depth > 0 && clock.monotonicMs() < deadline) {
        const batch = pick('oldest');
        if (batch.length === 0 || (await send(batch)) === null) return;
      }
    },
    async stop() {
      stopping.abort();
      await backlog;
    },
    get backlogRunning() {
      return backlog !== null;
    },
  };
}
