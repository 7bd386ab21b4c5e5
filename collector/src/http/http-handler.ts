import type { Logger } from '@pantau/shared';
import { type HttpHandler, sendJson } from './http-types.js';
import { createSpeedtest, type SpeedtestLimits } from './speedtest.js';

export interface HttpHandlerDeps {
  readonly speedtest: SpeedtestLimits & { readonly maxConcurrent: number };
  readonly randomBytes: (n: number) => Buffer;
  readonly monotonicMs: () => number;
  readonly log: Logger;
}

/**
 * The collector's HTTP routes, built apart from any socket (as fastify's `build()` is) so tests
 * call the handler directly. Today: the speed test endpoint sites measure throughput against.
 */
export function buildHttpHandler(deps: HttpHandlerDeps): HttpHandler {
  const speedtest = createSpeedtest({
    limits: deps.speedtest,
    randomBytes: deps.randomBytes,
    monotonicMs: deps.monotonicMs,
  });
  let activeTests = 0;

  return (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://collector.invalid');
      const route = `${req.method ?? 'GET'} ${url.pathname}`;
      if (url.pathname !== '/speedtest/down' && url.pathname !== '/speedtest/up') {
        req.resume();
        return sendJson(res, 404, { error: 'not_found' });
      }
      if (route !== 'GET /speedtest/down' && route !== 'POST /speedtest/up') {
        req.resume();
        return sendJson(res, 405, { error: 'method_not_allowed' });
      }
      // Bounded: a few tests at once; the rest are told to come back later.
      if (activeTests >= deps.speedtest.maxConcurrent) {
        req.resume();
        return sendJson(res, 503, { error: 'busy' }, { 'retry-after': '60' });
      }
      activeTests += 1;
      res.once('close', () => {
        activeTests -= 1;
      });
      if (route === 'GET /speedtest/down') speedtest.down(url, res);
      else speedtest.up(req, res);
    } catch (error) {
      deps.log.error({ event: 'http_handler_failed', err: error }, 'http handler failed');
      if (!res.writableEnded && !res.destroyed) sendJson(res, 500, { error: 'internal' });
    }
  };
}
