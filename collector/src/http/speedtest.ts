import type { HttpRequest, HttpResponse } from './http-types.js';
import { sendJson } from './http-types.js';

export interface SpeedtestLimits {
  /** A download asks for N bytes; more than this is served as this many. */
  readonly maxDownBytes: number;
  /** An upload body past this is refused with 413 and the connection closed. */
  readonly maxUpBytes: number;
}

export interface SpeedtestDeps {
  readonly limits: SpeedtestLimits;
  /** Incompressible bytes (crypto.randomBytes in production). */
  readonly randomBytes: (n: number) => Buffer;
  /** A clock that never jumps, for timing uploads. */
  readonly monotonicMs: () => number;
}

/**
 * The download source is one random block of 256 KiB, drawn once and sent over and over. No
 * compressor on the path (deflate's 32 KiB window, a link-layer compressor) can shrink it, so the
 * bytes on the wire are the bytes counted.
 */
const BLOCK_BYTES = 256 * 1024;

export function createSpeedtest(deps: SpeedtestDeps) {
  let block: Buffer | null = null;

  /** `GET /speedtest/down?bytes=N`: N bytes (capped) as application/octet-stream. */
  function down(url: URL, res: HttpResponse): void {
    const asked = url.searchParams.get('bytes');
    const n = asked === null ? Number.NaN : Number(asked);
    if (!Number.isSafeInteger(n) || n < 0) {
      sendJson(res, 400, { error: 'bad_request', message: 'bytes must be a whole number ≥ 0' });
      return;
    }
    const total = Math.min(n, deps.limits.maxDownBytes);
    block ??= deps.randomBytes(BLOCK_BYTES);
    const source = block;
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': total,
      'cache-control': 'no-store',
      'content-encoding': 'identity',
    });
    let sent = 0;
    let closed = false;
    res.once('close', () => {
      closed = true;
    });
    const pump = () => {
      while (!closed && !res.destroyed && sent < total) {
        const piece = source.subarray(0, Math.min(source.length, total - sent));
        sent += piece.length;
        if (!res.write(piece)) {
          res.once('drain', pump);
          return;
        }
      }
      if (!closed && !res.destroyed && !res.writableEnded) res.end();
    };
    pump();
  }

  /** `POST /speedtest/up`: reads and discards the body, replies `{bytes, ms}` (first to last byte). */
  function up(req: HttpRequest, res: HttpResponse): void {
    let bytes = 0;
    let firstMs: number | null = null;
    let refused = false;
    req.on('data', (chunk) => {
      if (refused) return;
      firstMs ??= deps.monotonicMs();
      bytes += chunk.length;
      if (bytes > deps.limits.maxUpBytes) {
        refused = true;
        sendJson(res, 413, { error: 'too_large', maxBytes: deps.limits.maxUpBytes }, { connection: 'close' });
        res.destroy();
      }
    });
    req.on('end', () => {
      if (refused) return;
      const ms = firstMs === null ? 0 : deps.monotonicMs() - firstMs;
      sendJson(res, 200, { bytes, ms: Math.round(ms * 1000) / 1000 });
    });
    req.on('error', () => {
      refused = true;
    });
  }

  return { down, up };
}
