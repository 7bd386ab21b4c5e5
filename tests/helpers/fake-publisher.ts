import type { Publisher, PublisherListener } from '@pantau/agent';
import { ok, type ResendReplyInput, type SampleInput } from '@pantau/shared';

/** Records what would go to the broker; each publish is acknowledged when the test says so. */
export class FakePublisher implements Publisher {
  connected = true;
  readonly batches: number[][] = [];
  readonly replies: ResendReplyInput[] = [];
  /** When set, publishes wait until `release()`. */
  hold = false;
  private waiting: (() => void)[] = [];
  readonly stats = { connects: 1, attempts: 1, epoch: 0 };
  readonly listeners = new Set<PublisherListener>();
  start() {}
  listen(listener: PublisherListener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  async publishSamples(samples: readonly SampleInput[]) {
    this.batches.push(samples.map((s) => s.seq));
    if (this.hold) await new Promise<void>((resolve) => this.waiting.push(resolve));
    // About what a deflated sample costs, so a byte-rate cap has something to pace.
    return ok(100 * samples.length);
  }
  async publishResendReply(reply: ResendReplyInput) {
    this.replies.push(reply);
    return ok(100);
  }
  async publishStatus() {
    return ok(100);
  }
  release(): void {
    for (const resolve of this.waiting.splice(0)) resolve();
  }
  async stop() {
    this.connected = false;
  }
  /** Bytes the next `takeWireBytes()` reports, as if the socket had counted them. */
  wire = { txBytes: 0, rxBytes: 0 };
  takeWireBytes() {
    const taken = this.wire;
    this.wire = { txBytes: 0, rxBytes: 0 };
    return taken;
  }
}
