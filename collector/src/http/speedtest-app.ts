import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { type SpeedtestRouteDeps, speedtestPlugin } from './speedtest-routes.js';

/** The speed test alone on its own app (a test server in a network namespace, a bench). */
export function buildSpeedtestApp(deps: SpeedtestRouteDeps): FastifyInstance {
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
  });
  app.register(speedtestPlugin, deps);
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: 'not_found', message: 'no such route' }));
  return app;
}
