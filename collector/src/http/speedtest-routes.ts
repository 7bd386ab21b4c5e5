import type { Logger } from '@pantau/shared';
import type { FastifyInstance } from 'fastify';
import { sendJson } from './http-types.js';
import { createSpeedtest, type SpeedtestLimits } from './speedtest.js';

export interface SpeedtestRouteDeps {
  readonly speedtest: SpeedtestLimits & { readonly maxConcurrent: number };
  readonly randomBytes: (n: number) => Buffer;
  readonly monotonicMs: () => number;
  readonly log: Logger;
}

/**
 * The speed test sites measure throughput against: `GET /speedtest/down?bytes=N` and
 * `POST /speedtest/up`, streamed on the raw socket (the body is counted as it arrives, never
 * parsed or buffered), a bounded number at once. Public: a site has no user.
 */
export async function speedtestPlugin(app: FastifyInstance, deps: SpeedtestRouteDeps): Promise<void> {
  const speedtest = createSpeedtest({
    limits: deps.speedtest,
    randomBytes: deps.randomBytes,
    monotonicMs: deps.monotonicMs,
  });
  let activeTests = 0;
  // This plugin's scope only: an upload's body is left on the socket for `up` to count.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));

  const run =
    (kind: 'down' | 'up') =>
    async (request: import('fastify').FastifyRequest, reply: import('fastify').FastifyReply) => {
      reply.hijack();
      const res = reply.raw;
      try {
        // Bounded: a few tests at once; the rest are told to come back later.
        if (activeTests >= deps.speedtest.maxConcurrent) {
          request.raw.resume();
          return sendJson(
            res,
            503,
            { error: 'busy', message: 'too many speed tests at once: retry later' },
            { 'retry-after': '60' },
          );
        }
        activeTests += 1;
        res.once('close', () => {
          activeTests -= 1;
        });
        if (kind === 'down') speedtest.down(new URL(request.url, 'http://collector.invalid'), res);
        else speedtest.up(request.raw, res);
      } catch (error) {
        deps.log.error({ event: 'speedtest_failed', err: error }, 'speed test failed');
        if (!res.writableEnded && !res.destroyed)
          sendJson(res, 500, { error: 'internal', message: 'see the collector log' });
      }
    };
  const notAllowed = async (request: import('fastify').FastifyRequest, reply: import('fastify').FastifyReply) => {
    reply.hijack();
    request.raw.resume();
    sendJson(reply.raw, 405, { error: 'method_not_allowed', message: 'GET /speedtest/down, POST /speedtest/up' });
  };
  app.get('/speedtest/down', run('down'));
  app.post('/speedtest/up', run('up'));
  app.post('/speedtest/down', notAllowed);
  app.get('/speedtest/up', notAllowed);
}
