import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Every } from '../collector.js';
import { createGuard } from './access/guard.js';
import { createSessions } from './access/sessions.js';
import { sendError } from './api-error.js';
import type { HttpAppDeps } from './app-deps.js';
import { createMetrics } from './metrics.js';
import { buildOpenApi, type ExtraPath } from './openapi.js';
import { createOverviewCache } from './overview/overview-snapshot.js';
import { registerRoutes } from './route.js';
import { eventRoutes } from './routes/event-routes.js';
import { opsRoutes } from './routes/ops-routes.js';
import { readRoutes } from './routes/read-routes.js';
import { reportRoutes } from './routes/report-routes.js';
import { sessionRoutes } from './routes/session-routes.js';
import { writeRoutes } from './routes/write-routes.js';
import { speedtestPlugin } from './speedtest-routes.js';
import { registerStaticFiles } from './static-files.js';

/** Routes outside the route table, listed in /openapi.json by hand. */
const EXTRA_PATHS: readonly ExtraPath[] = [
  {
    method: 'get',
    path: '/speedtest/down',
    summary: 'N incompressible bytes (?bytes=N, capped)',
    tag: 'speedtest',
    status: '200',
    contentType: 'application/octet-stream',
  },
  {
    method: 'post',
    path: '/speedtest/up',
    summary: 'Reads and discards the body; { bytes, ms }',
    tag: 'speedtest',
    status: '200',
    contentType: 'application/json',
  },
  {
    method: 'get',
    path: '/',
    summary: "The dashboard's index.html",
    tag: 'dashboard',
    status: '200',
    contentType: 'text/html',
  },
  {
    method: 'get',
    path: '/assets/{path}',
    summary: "The dashboard's files",
    tag: 'dashboard',
    status: '200',
    contentType: 'application/octet-stream',
  },
];

/**
 * The collector's HTTP API (docs/api.md), built apart from any socket: tests call `inject()`,
 * `listenHttp` puts it on a port. Once ready it builds the first overview snapshot; the event
 * poller starts with its first client.
 */
export function buildHttpApp(deps: HttpAppDeps & { readonly every: Every }): FastifyInstance {
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
  });
  const sessions = createSessions({
    ttlMs: deps.access.sessionTtlSec * 1000,
    max: deps.access.maxSessions,
    nowMs: deps.nowMs,
    newSecret: () => deps.randomBytes(32).toString('base64url'),
  });
  const overview = createOverviewCache(deps.store, deps.overview, {
    nowMs: deps.nowMs,
    monotonicMs: deps.monotonicMs,
    log: deps.log,
  });
  const events = eventRoutes({ overview, every: deps.every, ...deps.events, log: deps.log });
  const metrics = createMetrics({ overview, store: deps.store, live: deps.live });
  const guard = createGuard({ access: deps.access, sessions, audit: deps.store, nowMs: deps.nowMs });
  let changed = false;
  const defs = [
    ...sessionRoutes({ access: deps.access, sessions, audit: deps.store, nowMs: deps.nowMs }),
    ...readRoutes({ store: deps.store, overview, nowMs: deps.nowMs }),
    ...events.routes,
    ...reportRoutes({ store: deps.store, config: deps.config, nowMs: deps.nowMs }),
    ...writeRoutes({
      store: deps.store,
      nowMs: deps.nowMs,
      newId: (prefix) => `${prefix}-${deps.randomBytes(9).toString('base64url')}`,
      changed: () => {
        changed = true;
      },
    }),
  ];
  const ops = opsRoutes({ store: deps.store, live: deps.live, metrics: metrics.registry, openApi: () => openApi });
  const openApi = buildOpenApi([...defs, ...ops], EXTRA_PATHS);
  registerRoutes(app, [...defs, ...ops], guard);
  app.register(speedtestPlugin, {
    speedtest: deps.speedtest,
    randomBytes: deps.randomBytes,
    monotonicMs: deps.monotonicMs,
    log: deps.log,
  });
  registerStaticFiles(app, deps.dashboardDir);

  app.addHook('onResponse', async (request, reply) => {
    // Unmatched URLs are counted under one label, so a scanner cannot grow the series.
    metrics.countResponse(request.routeOptions.url ?? 'unmatched', reply.statusCode);
    if (changed && request.method === 'POST') {
      changed = false;
      await overview.fresh().catch(() => {});
    }
    request.log.debug(
      {
        event: 'http',
        method: request.method,
        route: request.routeOptions.url,
        status: reply.statusCode,
        ms: reply.elapsedTime,
      },
      'http',
    );
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, 404, 'not_found', `no route ${request.method} ${request.url.split('?')[0]}: see /openapi.json`),
  );
  app.setErrorHandler((error, request, reply) => {
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status === 413) return sendError(reply, 413, 'too_large', 'the body is too large (64 KiB at most)');
    if (status >= 400 && status < 500)
      return sendError(reply, status, 'bad_request', error instanceof Error ? error.message : 'bad request');
    request.log.error({ event: 'http_failed', err: error, route: request.routeOptions.url }, 'request failed');
    return sendError(reply, 500, 'internal', 'the collector failed to answer: see its log');
  });
  // The first snapshot reads every site's day of roll-ups: begun at start, not by the first viewer.
  app.addHook('onReady', async () => {
    overview
      .snapshot()
      .catch((error: unknown) =>
        deps.log.warn(
          { event: 'overview_warm_failed', err: error },
          'first overview snapshot not built; the first request retries',
        ),
      );
  });
  app.addHook('onClose', async () => {
    events.close();
  });
  return app;
}
