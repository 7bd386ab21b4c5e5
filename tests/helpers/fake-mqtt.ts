import type { MqttConnect, MqttLink, MqttLinkEvents, MqttLinkOptions } from '@pantau/agent';

export interface SentMessage {
  readonly topic: string;
  readonly payload: Buffer;
  readonly retain: boolean;
}

/** One connection attempt as the test plays the broker's side of it. */
export class FakeLink implements MqttLink {
  readonly published: SentMessage[] = [];
  readonly subscribed: string[] = [];
  /** When false, publishes wait for `ack()`. */
  autoAck = true;
  bytes = { txBytes: 0, rxBytes: 0 };
  destroyed = false;
  abandoned = false;
  ended = false;
  private waiting: (() => void)[] = [];
  private closed = false;
  constructor(
    readonly url: string,
    readonly options: MqttLinkOptions,
    private readonly events: MqttLinkEvents,
  ) {}

  accept(sessionPresent = false): void {
    this.events.connect(sessionPresent);
  }
  refuse(code: number): void {
    this.events.error({ message: `connack ${code}`, code, tls: null });
    this.close();
  }
  deliver(topic: string, payload: Buffer): void {
    this.events.message(topic, payload);
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.events.close();
  }
  ack(): void {
    for (const resolve of this.waiting.splice(0)) resolve();
  }

  async subscribe(topic: string): Promise<void> {
    this.subscribed.push(topic);
  }
  async publish(topic: string, payload: Buffer, retain: boolean): Promise<void> {
    this.published.push({ topic, payload, retain });
    this.bytes = { txBytes: this.bytes.txBytes + payload.byteLength, rxBytes: this.bytes.rxBytes + 4 };
    if (!this.autoAck) await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  socketBytes() {
    return this.bytes;
  }
  destroy(): void {
    this.destroyed = true;
    this.close();
  }
  abandon(): void {
    this.abandoned = true;
    this.close();
  }
  async end(): Promise<void> {
    this.ended = true;
    this.close();
  }
}

/** Records every connection attempt; the test accepts, refuses or drops each. */
export class FakeMqtt {
  readonly links: FakeLink[] = [];
  readonly connect: MqttConnect = (url, options, events) => {
    const link = new FakeLink(url, options, events);
    this.links.push(link);
    return link;
  };
  get last(): FakeLink {
    const link = this.links.at(-1);
    if (link === undefined) throw new Error('no connection attempt yet');
    return link;
  }
}
