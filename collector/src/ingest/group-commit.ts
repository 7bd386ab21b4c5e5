import type { TelemetryBatch } from '@pantau/shared';
import type { BatchItem, InsertResult, Store } from '../store/store.js';

export interface GroupCommitter {
  insert(batch: TelemetryBatch, receivedMs: number, payload?: Uint8Array): Promise<InsertResult>;
}

/**
 * Gathers the batches that arrive while a commit is being scheduled (from several MQTT
 * connections: mqtt.js hands over one PUBLISH per connection at a time) into one transaction.
 * Each caller's promise settles when its group has committed, so its PUBACK waits for the commit.
 */
export function createGroupCommitter(
  store: Pick<Store, 'insertBatches'>,
  maxItems: number,
  defer: (fn: () => void) => void = setImmediate,
): GroupCommitter {
  interface Pending extends BatchItem {
    resolve(result: InsertResult): void;
    reject(error: unknown): void;
  }
  let queue: Pending[] = [];
  let scheduled = false;

  function flush(): void {
    scheduled = false;
    const group = queue.slice(0, maxItems);
    queue = queue.slice(group.length);
    if (queue.length > 0) schedule();
    store.insertBatches(group).then(
      (results) => {
        for (const [i, p] of group.entries()) p.resolve(results[i] ?? { inserted: 0, duplicates: 0 });
      },
      (error: unknown) => {
        for (const p of group) p.reject(error);
      },
    );
  }
  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    defer(flush);
  }
  return {
    insert(batch, receivedMs, payload) {
      return new Promise<InsertResult>((resolve, reject) => {
        queue.push({ batch, receivedMs, payload, resolve, reject });
        if (queue.length >= maxItems) flush();
        else schedule();
      });
    },
  };
}
