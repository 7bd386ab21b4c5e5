import { EventEmitter } from 'node:events';
import type { HttpRequest, HttpResponse } from '@pantau/collector';

/** A request a test feeds by hand: `push(chunk)`, then `finish()`. */
export class FakeRequest extends EventEmitter implements HttpRequest {
  resumed = false;
  constructor(
    readonly method: string,
    readonly url: string,
  ) {
    super();
  }
  resume(): this {
    this.resumed = true;
    return this;
  }
  push(chunk: Buffer): void {
    this.emit('data', chunk);
  }
  finish(): void {
    this.emit('end');
  }
}

/**
 * A response that records status, headers and body. `highWaterBytes` makes `write` report a full
 * buffer after that many bytes, so back-pressure paths run; `drain()` empties it.
 */
export class FakeResponse extends EventEmitter implements HttpResponse {
  status = 0;
  headers: Record<string, string | number> = {};
  chunks: Buffer[] = [];
  destroyed = false;
  writableEnded = false;
  private buffered = 0;
  constructor(private readonly highWaterBytes = Number.POSITIVE_INFINITY) {
    super();
  }
  writeHead(status: number, headers: Record<string, string | number>): this {
    this.status = status;
    this.headers = headers;
    return this;
  }
  write(chunk: Buffer): boolean {
    this.chunks.push(Buffer.from(chunk));
    this.buffered += chunk.length;
    return this.buffered < this.highWaterBytes;
  }
  end(body?: string): this {
    if (body !== undefined) this.chunks.push(Buffer.from(body));
    this.writableEnded = true;
    this.emit('close');
    return this;
  }
  destroy(): this {
    this.destroyed = true;
    this.emit('close');
    return this;
  }
  drain(): void {
    this.buffered = 0;
    this.emit('drain');
  }
  /** The client went away. */
  hangUp(): void {
    this.destroyed = true;
    this.emit('close');
  }
  get bodyBytes(): number {
    return this.chunks.reduce((n, c) => n + c.length, 0);
  }
  json(): unknown {
    return JSON.parse(Buffer.concat(this.chunks).toString('utf8'));
  }
}
