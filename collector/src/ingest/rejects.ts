import type { DecodeErrorCode } from '@pantau/shared';

/** Stable reasons a message is rejected at ingest, counted and shown to the NOC. */
export type RejectReason = DecodeErrorCode | 'unknown_topic' | 'site_mismatch';

export interface QuarantinedMessage {
  readonly reason: RejectReason;
  readonly detail: string;
  readonly topic: string;
  /** The first bytes, hex encoded: enough to recognise the sender, never a whole payload. */
  readonly firstBytesHex: string;
  readonly receivedMs: number;
}

const QUARANTINE_PREFIX_BYTES = 64;

/** Counts rejects by reason and keeps the latest ones in a bounded ring (oldest dropped first). */
export class Rejects {
  private readonly counts = new Map<RejectReason, number>();
  private readonly ring: QuarantinedMessage[] = [];

  constructor(private readonly quarantineSize: number) {}

  record(reason: RejectReason, detail: string, topic: string, payload: Uint8Array, receivedMs: number): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1);
    const firstBytesHex = Buffer.from(payload.subarray(0, QUARANTINE_PREFIX_BYTES)).toString('hex');
    this.ring.push({ reason, detail: detail.slice(0, 300), topic: topic.slice(0, 300), firstBytesHex, receivedMs });
    if (this.ring.length > this.quarantineSize) this.ring.shift();
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
