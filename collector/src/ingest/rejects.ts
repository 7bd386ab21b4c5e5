import type { DecodeErrorCode } from '@pantau/shared';
import type { StoredReject } from '../store/records.js';

/** Stable reasons a message is rejected at ingest, counted and shown to the NOC. */
export type RejectReason =
  | DecodeErrorCode
  | 'decoder_crashed'
  | 'unknown_topic'
  | 'site_mismatch'
  | 'time_out_of_bounds';

export interface QuarantinedMessage extends StoredReject {
  readonly reason: RejectReason;
}

const QUARANTINE_PREFIX_BYTES = 64;

/** Counts rejects by reason and keeps the latest ones in a bounded ring (oldest dropped first). */
export class Rejects {
  private readonly counts = new Map<RejectReason, number>();
  private readonly ring: QuarantinedMessage[] = [];

  constructor(private readonly quarantineSize: number) {}

  record(
    reason: RejectReason,
    detail: string,
    topic: string,
    payload: Uint8Array,
    receivedMs: number,
  ): QuarantinedMessage {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1);
    const firstBytesHex = Buffer.from(payload.subarray(0, QUARANTINE_PREFIX_BYTES)).toString('hex');
    const entry = { reason, detail: detail.slice(0, 300), topic: topic.slice(0, 300), firstBytesHex, receivedMs };
    this.ring.push(entry);
    if (this.ring.length > this.quarantineSize) this.ring.shift();
    return entry;
  }

  byReason(): Readonly<Partial<Record<RejectReason, number>>> {
    return Object.fromEntries(this.counts);
  }

  get total(): number {
    let total = 0;
    for (const count of this.counts.values()) total += count;
    return total;
  }

  /** Newest first. */
  quarantine(): readonly QuarantinedMessage[] {
    return [...this.ring].reverse();
  }
}
