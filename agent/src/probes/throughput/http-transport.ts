import { type ClientRequest, request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { fail, ok, type Result } from '@pantau/shared';
import { z } from 'zod';
import type { Clock } from '../../clock.js';

export type HttpErrorCode = 'http_error' | 'http_timeout' | 'http_unreachable' | 'host_unresolved' | 'http_aborted';

/** One direction of a test: payload bytes moved and the time they took. */
export interface LegMeasure {
  readonly bytes: number;
  readonly ms: number;
}
export type LegResult = Result<LegMeasure, HttpErrorCode>;

export interface HttpRunnerConfig {
  /** Base URL: `<endpoint>/down?bytes=N` and `<endpoint>/up`. */
  readonly endpoint: string;
  readonly maxBytes: number;
  readonly maxSeconds: number;
  readonly stallTimeoutMs: number;
}

/** The IO edge of the throughput test: one download, one upload. */
export interface ThroughputTransport {
  download(signal: AbortSignal): Promise<LegResult>;
  upload(signal: AbortSignal): Promise<LegResult>;
}

const upReplySchema = z.object({ bytes: z.number().int().min(0), ms: z.number().min(0) });
const UPLOAD_CHUNK_BYTES = 64 * 1024;

/**
 * node:http(s). Download: the time runs from the response headers to the last byte, so connection
 * setup is not counted as transfer. Upload: the server times the body from its first to its last
 * byte and says so (`{bytes, ms}`); the client cannot, since the kernel buffers what it writes.
 * Each direction stops at `maxBytes` or `maxSeconds` (a partial transfer is still a measurement);
 * no response, or no progress for `stallTimeoutMs`, is `http_timeout`.
 */
export function createHttpTransport(
  config: HttpRunnerConfig,
  deps: { readonly clock: Clock; readonly randomBytes: (n: number) => Buffer },
): ThroughputTransport {
  const base = config.endpoint.replace(/\/+$/, '');
  const maxMs = config.maxSeconds * 1000;
  let uploadChunk: Buffer | null = null;

  function open(url: URL, method: string): ClientRequest {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return send(url, {
      method,
      agent: false,
      headers: method === 'POST' ? { 'content-type': 'application/octet-stream' } : { 'accept-encoding': 'identity' },
    });
  }

  return {
    download(signal) {
      return new Promise((resolve) => {
        const leg = settleOnce(resolve, deps.clock, config.stallTimeoutMs, signal);
        const req = open(new URL(`${base}/down?bytes=${config.maxBytes}`), 'GET');
        leg.onCleanup(() => req.destroy());
        leg.progress();
        req.on('error', (error) => leg.finish(fail(codeOf(error), error.message)));
        req.on('response', (res: IncomingMessage) => {
          if (res.statusCode !== 200) {
            res.resume();
            return leg.finish(fail('http_error', `GET /down answered ${res.statusCode}`));
          }
          const startMs = deps.clock.monotonicMs();
          let bytes = 0;
          const done = () => leg.finish(ok({ bytes, ms: deps.clock.monotonicMs() - startMs }));
          leg.onCleanup(deps.clock.setTimer(maxMs, done));
          leg.progress();
          res.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
            leg.progress();
            if (bytes >= config.maxBytes) done();
          });
          res.on('end', done);
          res.on('error', (error) => leg.finish(fail(codeOf(error), error.message)));
        });
        req.end();
      });
    },
    upload(signal) {
      uploadChunk ??= deps.randomBytes(UPLOAD_CHUNK_BYTES);
      const chunk = uploadChunk;
      return new Promise((resolve) => {
        const leg = settleOnce(resolve, deps.clock, config.stallTimeoutMs, signal);
        const req = open(new URL(`${base}/up`), 'POST');
        leg.onCleanup(() => req.destroy());
        req.on('error', (error) => leg.finish(fail(codeOf(error), error.message)));
        req.on('response', (res: IncomingMessage) => {
          const parts: Buffer[] = [];
          let size = 0;
          res.on('data', (part: Buffer) => {
            // A reply is a few dozen bytes; anything past 4 KiB is not ours to keep.
            if (size < 4096) parts.push(part);
            size += part.length;
          });
          res.on('end', () => {
            if (res.statusCode !== 200) return leg.finish(fail('http_error', `POST /up answered ${res.statusCode}`));
            const reply = parseReply(Buffer.concat(parts).toString('utf8'));
            leg.finish(reply === null ? fail('http_error', 'POST /up gave no {bytes, ms} reply') : ok(reply));
          });
        });
        const startMs = deps.clock.monotonicMs();
        let sent = 0;
        let writing = true;
        leg.onCleanup(() => {
          writing = false;
        });
        const pump = () => {
          while (writing && sent < config.maxBytes && deps.clock.monotonicMs() - startMs < maxMs) {
            const piece = chunk.subarray(0, Math.min(chunk.length, config.maxBytes - sent));
            sent += piece.length;
            if (!req.write(piece)) {
              req.once('drain', () => {
                leg.progress();
                pump();
              });
              return;
            }
          }
          if (writing) {
            writing = false;
            req.end();
          }
        };
        leg.progress();
        pump();
      });
    },
  };
}

function parseReply(text: string): LegMeasure | null {
  try {
    const parsed = upReplySchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function codeOf(error: NodeJS.ErrnoException): HttpErrorCode {
  if (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN') return 'host_unresolved';
  if (error.code === 'ETIMEDOUT') return 'http_timeout';
  if (['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN'].includes(error.code ?? '')) {
    return 'http_unreachable';
  }
  return 'http_error';
}

/** Settles a leg once: on a result, a stall (no progress for stallMs), or the abort signal. */
function settleOnce(resolve: (r: LegResult) => void, clock: Clock, stallMs: number, signal: AbortSignal) {
  const cleanups: (() => void)[] = [];
  let settled = false;
  let cancelStall = () => {};
  const finish = (result: LegResult) => {
    if (settled) return;
    settled = true;
    cancelStall();
    signal.removeEventListener('abort', onAbort);
    for (const cleanup of cleanups) cleanup();
    resolve(result);
  };
  const onAbort = () => finish(fail('http_aborted', 'the test was aborted'));
  const progress = () => {
    cancelStall();
    cancelStall = clock.setTimer(stallMs, () => finish(fail('http_timeout', `no progress for ${stallMs} ms`)));
  };
  if (signal.aborted) queueMicrotask(onAbort);
  else signal.addEventListener('abort', onAbort, { once: true });
  return {
    finish,
    progress,
    onCleanup(fn: () => void) {
      cleanups.push(fn);
    },
  };
}
