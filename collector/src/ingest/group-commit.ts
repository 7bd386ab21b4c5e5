import type { BatchItem, InsertResult } from '../store/records.js';
import type { IngestStore } from '../store/store.js';

export interface GroupCommitter {
  insert(item: BatchItem): Promise<InsertResult>;
}

/**
 * Gathers the batches that arrive while a commit is being scheduled (from several MQTT
 * connections: mqtt.js hands over one PUBLISH per connection at a time) into one transaction.
 * Each caller's promise settles when its group has committed, so its PUBACK waits for the commit.
 */
export function createGroupCommitter(
  store: Pick<IngestStore, 'insertBatches'>,
  maxItems: number,
  defer: (fn: () => void) => void = setImmediate,
): GroupCommitter {
  interface Pending {
    readonly item: BatchItem;
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
    store.insertBatches(group.map((p) => p.item)).then(
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
    insert(item) {
      return new Promise<InsertResult>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        if (queue.length >= maxItems) flush();
        else schedule();
      });
    },
  };
}
