import type { BatchItem, IngestStore, InsertResult, Store } from '@pantau/collector';
import {
  MS_PER_HOUR,
  type SampleInput,
  type SiteStatus,
  siteStatusSchema,
  type TelemetryBatch,
  telemetryBatchSchema,
} from '@pantau/shared';
import { afterEach, beforeEach } from 'vitest';

/** 2026-11-23T00:00:00Z: a day boundary, so buckets are easy to read. */
export const DAY0 = Date.UTC(2026, 10, 23);
export const MIN = 60_000;

export function batch(siteId: string, samples: SampleInput[]): TelemetryBatch {
  return telemetryBatchSchema.parse({ v: 1, siteId, agentVersion: '0.1.0', sentAtMs: DAY0, samples });
}

/** A synced sample taken `minute` minutes after DAY0, in boot `bootId` that began at DAY0 - 1 h. */
export function synced(seq: number, minute: number, extra: Partial<SampleInput> = {}, bootId = 'boot-1'): SampleInput {
  return {
    seq,
    bootId,
    wallMs: DAY0 + minute * MIN,
    clockSynced: true,
    uptimeMs: MS_PER_HOUR + minute * MIN,
    probes: { uptime: { systemUptimeMs: MS_PER_HOUR + minute * MIN, agentUptimeMs: 1 } },
    ...extra,
  };
}

/** Synced samples with these seqs, each taken `seq` minutes after DAY0. */
export const seqBatch = (siteId: string, seqs: number[], bootId = 'boot-1') =>
  batch(
    siteId,
    seqs.map((seq) => synced(seq, seq, {}, bootId)),
  );

export function status(siteId: string, epoch: number, reason: SiteStatus['reason']): SiteStatus {
  const state = reason === 'connected' ? 'online' : 'offline';
  return siteStatusSchema.parse({ v: 1, siteId, state, reason, epoch, atMs: 0, bootId: 'b', agentVersion: '0.1.0' });
}

/** One batch in its own transaction, as ingest commits it with one connection. */
export async function insert(
  store: Pick<IngestStore, 'insertBatches'>,
  b: TelemetryBatch,
  receivedMs: number,
  extra: Omit<BatchItem, 'batch' | 'receivedMs'> = {},
): Promise<InsertResult> {
  const [result] = await store.insertBatches([{ batch: b, receivedMs, ...extra }]);
  if (result === undefined) throw new Error('insertBatches gave no result');
  return result;
}

/** A fresh, empty store for each test of the enclosing suite (given to `use`), closed after it. */
export function freshStoreEachTest(open: () => Promise<Store>, use: (store: Store) => void): void {
  let current: Store | undefined;
  beforeEach(async () => {
    current = await open();
    use(current);
  });
  afterEach(async () => {
    await current?.close();
  });
}
