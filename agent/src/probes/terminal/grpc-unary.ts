import { connect, type IncomingHttpHeaders } from 'node:http2';
import { fail, ok, type Result } from '@pantau/shared';
import type { Clock } from '../../clock.js';

/**
 * One unary gRPC call over plaintext HTTP/2 (the gRPC wire protocol,
 * https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md), with Node's own http2 and no
 * gRPC library: a POST to `/<service>/<method>`, the message in one length-prefixed frame, the
 * answer's frame in the body and `grpc-status` in the trailers (or, for an error, in the headers
 * alone). A new connection per call: the terminal is on the LAN and asked once a sample.
 */
export type GrpcErrorCode = 'terminal_timeout' | 'terminal_unreachable' | 'terminal_error' | 'terminal_bad_response';

export interface GrpcUnaryRequest {
  readonly host: string;
  readonly port: number;
  /** `/<package>.<Service>/<Method>`. */
  readonly path: string;
  readonly message: Uint8Array;
  /** Bound on the whole call, connection included. */
  readonly timeoutMs: number;
  /** A larger answer is refused (`terminal_bad_response`) and the connection dropped. */
  readonly maxResponseBytes: number;
}

/** The IO edge: real HTTP/2 in production, a canned answer in unit tests. */
export interface GrpcUnaryClient {
  call(request: GrpcUnaryRequest, signal: AbortSignal): Promise<Result<Buffer, GrpcErrorCode>>;
}

/** Socket errors that mean "nothing answers there"; any other failure is a peer that is not gRPC. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET']);

/** The 5-byte gRPC message prefix: a compressed flag, then the length (big-endian uint32). */
const PREFIX_BYTES = 5;

export function grpcFrame(message: Uint8Array): Buffer {
  const prefix = Buffer.alloc(PREFIX_BYTES);
  prefix.writeUInt32BE(message.length, 1);
  return Buffer.concat([prefix, message]);
}

/** The one message of a unary answer's body. */
export function grpcUnframe(body: Buffer): Result<Buffer, 'terminal_bad_response'> {
  if (body.length < PREFIX_BYTES)
    return fail('terminal_bad_response', `a ${body.length}-byte body holds no gRPC frame`);
  // We never offer grpc-accept-encoding, so a compressed answer is a peer we do not understand.
  if (body[0] !== 0) return fail('terminal_bad_response', 'the answer is compressed or not a gRPC frame');
  const length = body.readUInt32BE(1);
  if (length !== body.length - PREFIX_BYTES) {
    return fail('terminal_bad_response', `the frame says ${length} bytes, the body has ${body.length - PREFIX_BYTES}`);
  }
  return ok(body.subarray(PREFIX_BYTES));
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function createHttp2GrpcClient(clock: Clock): GrpcUnaryClient {
  return {
    call(request, signal) {
      return new Promise((resolve) => {
        const chunks: Buffer[] = [];
        let received = 0;
        let responseHeaders: IncomingHttpHeaders | null = null;
        let trailers: IncomingHttpHeaders | null = null;
        let done = false;
        let cancelTimer = () => {};
        let session: ReturnType<typeof connect> | null = null;

        function finish(result: Result<Buffer, GrpcErrorCode>): void {
          if (done) return;
          done = true;
          cancelTimer();
          signal.removeEventListener('abort', onAbort);
          session?.destroy();
          resolve(result);
        }
        function onAbort(): void {
          finish(fail('terminal_timeout', 'the call was cut short (the probe ran out of time)'));
        }

        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        cancelTimer = clock.setTimer(request.timeoutMs, () =>
          finish(fail('terminal_timeout', `no answer from ${request.host}:${request.port} in ${request.timeoutMs} ms`)),
        );
        const host = request.host.includes(':') ? `[${request.host}]` : request.host;
        try {
          session = connect(`http://${host}:${request.port}`);
        } catch (error) {
          return finish(fail('terminal_unreachable', (error as Error).message));
        }
        const where = `${request.host}:${request.port}`;
        session.on('error', (error: Error) => finish(failureOf(error, where)));
        const stream = session.request({
          ':method': 'POST',
          ':path': request.path,
          'content-type': 'application/grpc',
          te: 'trailers',
        });
        stream.on('response', (headers) => {
          responseHeaders = headers;
        });
        stream.on('trailers', (headers) => {
          trailers = headers;
        });
        stream.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > request.maxResponseBytes) {
            finish(fail('terminal_bad_response', `the answer is larger than ${request.maxResponseBytes} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        // A stream cancelled because the connection failed carries the socket's error as its cause.
        stream.on('error', (error: Error) => finish(failureOf(error, where)));
        stream.on('end', () => finish(verdict(responseHeaders, trailers, Buffer.concat(chunks))));
        stream.end(grpcFrame(request.message));
      });
    },
  };
}

function failureOf(error: Error, where: string): Result<never, GrpcErrorCode> {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const causeCode = ((error.cause ?? {}) as NodeJS.ErrnoException).code ?? '';
  return UNREACHABLE.has(code) || UNREACHABLE.has(causeCode)
    ? fail('terminal_unreachable', `${where}: ${error.message}`)
    : fail('terminal_bad_response', `${where} does not speak gRPC: ${error.message}`);
}

/** The call's outcome once the stream has ended. */
function verdict(
  headers: IncomingHttpHeaders | null,
  trailers: IncomingHttpHeaders | null,
  body: Buffer,
): Result<Buffer, GrpcErrorCode> {
  if (headers === null) return fail('terminal_bad_response', 'the stream ended without headers');
  const status = header(headers, ':status');
  if (String(status) !== '200') return fail('terminal_bad_response', `HTTP status ${String(status)}, not 200`);
  const contentType = header(headers, 'content-type') ?? '';
  if (!contentType.startsWith('application/grpc')) {
    return fail('terminal_bad_response', `content-type ${contentType || '(none)'}, not application/grpc`);
  }
  // A "trailers-only" error puts grpc-status in the headers.
  const grpcStatus = header(trailers ?? {}, 'grpc-status') ?? header(headers, 'grpc-status');
  if (grpcStatus === undefined) return fail('terminal_bad_response', 'no grpc-status in the answer');
  if (grpcStatus !== '0') {
    const message = header(trailers ?? {}, 'grpc-message') ?? header(headers, 'grpc-message') ?? '';
    return fail('terminal_error', `grpc-status ${grpcStatus}${message === '' ? '' : `: ${percentDecoded(message)}`}`);
  }
  return grpcUnframe(body);
}

/** grpc-message is percent-encoded; a peer that gets that wrong must not make the call throw. */
function percentDecoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
