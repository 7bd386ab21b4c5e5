import { decodePayload, type Logger, parseTopic } from '@pantau/shared';
import type { Store } from '../store/store.js';
import { type RejectReason, Rejects } from './rejects.js';

export interface IngestOptions {
  readonly topicRoot: string;
  readonly maxPayloadBytes: number;
  readonly quarantineSize: number;
}

export interface IngestDeps {
  readonly store: Store;
  readonly log: Logger;
  readonly nowMs: () => number;
}

export interface IngestCounters {
  readonly messages: number;
  readonly samplesStored: number;
  readonly duplicates: number;
  readonly staleStatuses: number;
  readonly rejected: number;
  readonly rejectsByReason: Readonly<Partial<Record<RejectReason, number>>>;
}

/** A store that failed: the message must not be acknowledged, so the broker delivers it again. */
export class StoreFailure extends Error {
  override readonly name = 'StoreFailure';
}

/**
 * Validates one message and stores what it holds. A bad message is rejected, counted, quarantined
 * and acknowledged (it will never become valid); only a store failure rejects the promise.
 */
export function createIngest(options: IngestOptions, deps: IngestDeps) {
  const rejects = new Rejects(options.quarantineSize);
  const lastLogMs = new Map<RejectReason, number>();
  let messages = 0;
  let samplesStored = 0;
  let duplicates = 0;
  let staleStatuses = 0;

  function reject(reason: RejectReason, detail: string, topic: string, payload: Uint8Array): void {
    const now = deps.nowMs();
    rejects.record(reason, detail, topic, payload, now);
    // One line per reason per 10 s: a flood of garbage must not flood the log too.
    const last = lastLogMs.get(reason);
    if (last === undefined || now - last >= 10_000) {
      lastLogMs.set(reason, now);
      deps.log.warn(
        {
          event: 'message_rejected',
          reason,
          topic: topic.slice(0, 200),
          detail: detail.slice(0, 300),
          total: rejects.byReason()[reason],
        },
        'rejected a message; see the quarantine for its first bytes and check the sender against docs/protocol.md',
      );
    }
  }

  async function handle(topic: string, payload: Uint8Array): Promise<void> {
    messages += 1;
    const receivedMs = deps.nowMs();
    const parsed = parseTopic(options.topicRoot, topic);
    if (parsed === null || (parsed.kind !== 'telemetry' && parsed.kind !== 'status')) {
      return reject('unknown_topic', 'not a telemetry or status topic', topic, payload);
    }
    const decoded = decodePayload(parsed.kind, payload, options.maxPayloadBytes);
    if (!decoded.ok) return reject(decoded.code, decoded.message, topic, payload);
    const message = decoded.value;
    if (message.siteId !== parsed.siteId) {
      return reject(
        'site_mismatch',
        `payload says site ${message.siteId}, topic says ${parsed.siteId}`,
        topic,
        payload,
      );
    }
    try {
      if ('samples' in message) {
        const result = await deps.store.insertBatch(message, receivedMs);
        samplesStored += result.inserted;
        duplicates += result.duplicates;
      } else if ((await deps.store.applyStatus(message, receivedMs)) === 'stale') {
        staleStatuses += 1;
      }
    } catch (error) {
      throw new StoreFailure(`storing a message from ${parsed.siteId} failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  return {
    handle,
    rejects,
    counters(): IngestCounters {
      return {
        messages,
        samplesStored,
        duplicates,
        staleStatuses,
        rejected: rejects.total,
        rejectsByReason: rejects.byReason(),
      };
    },
  };
}
export type Ingest = ReturnType<typeof createIngest>;
