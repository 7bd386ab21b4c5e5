import { createServer, type Http2Server, type IncomingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';

/** How the fake dish answers one call: it sees the request's headers and body. */
export type DishBehaviour = (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, body: Buffer) => void;

export interface GrpcDish {
  readonly port: number;
  /** Each call as received: its headers and request body. */
  readonly calls: { headers: IncomingHttpHeaders; body: Buffer }[];
  behaviour: DishBehaviour;
  /** Resolves when the next call's request has arrived whole. */
  nextCall(): Promise<void>;
  /** Sessions still open (the client must close its own after each call). */
  openSessions(): number;
  stop(): Promise<void>;
}

/** One length-prefixed gRPC message (uncompressed). */
export function grpcMessage(body: Uint8Array): Buffer {
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32BE(body.length, 1);
  return Buffer.concat([prefix, body]);
}

/** A unary gRPC answer: headers, the message, then grpc-status 0 in the trailers. */
export function answerOk(stream: ServerHttp2Stream, message: Uint8Array): void {
  stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
  stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
  stream.end(grpcMessage(message));
}

/**
 * A real gRPC-over-HTTP/2 peer on a loopback port, answering as a Starlink dish does (or does not:
 * the test sets `behaviour`).
 */
export async function startGrpcDish(behaviour: DishBehaviour): Promise<GrpcDish> {
  const server: Http2Server = createServer();
  const sessions = new Set<unknown>();
  let waiters: (() => void)[] = [];
  const dish: GrpcDish = {
    port: 0,
    calls: [],
    behaviour,
    nextCall: () => new Promise((resolve) => waiters.push(resolve)),
    openSessions: () => sessions.size,
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        for (const s of sessions) (s as { destroy(): void }).destroy();
      }),
  };
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  server.on('stream', (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('error', () => {});
    stream.on('end', () => {
      const body = Buffer.concat(chunks);
      dish.calls.push({ headers, body });
      const ready = waiters;
      waiters = [];
      for (const w of ready) w();
      dish.behaviour(stream, headers, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(dish, { port: (server.address() as AddressInfo).port });
}
