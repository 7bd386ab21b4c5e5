import type { Registry } from 'prom-client';
import { z } from 'zod';
import type { CollectorLive } from '../app-deps.js';
import type { AuditLog } from '../audit-log.js';
import { type RouteDef, route } from '../route.js';

export interface OpsRouteDeps {
  readonly store: AuditLog;
  readonly live: CollectorLive;
  readonly metrics: Registry;
  readonly openApi: () => unknown;
}

/** For the machines that watch the collector: liveness, readiness, metrics, and the API's own description. */
export function opsRoutes(deps: OpsRouteDeps): RouteDef[] {
  return [
    route({
      method: 'GET',
      url: '/healthz',
      tag: 'operations',
      summary: 'The process is up',
      access: 'public',
      response: { status: 200, schema: z.object({ ok: z.literal(true) }) },
      handler: () => ({ ok: true as const }),
    }),
    route({
      method: 'GET',
      url: '/readyz',
      tag: 'operations',
      summary: 'The store answers and the broker is connected (503 says what is not ready)',
      access: 'public',
      response: { status: 200, schema: z.object({ ok: z.boolean(), store: z.boolean(), input: z.boolean() }) },
      async handler({ reply }) {
        const store = await deps.store.recentAudit(1).then(
          () => true,
          () => false,
        );
        const input = deps.live.inputConnected();
        const ok = store && input;
        return reply.code(ok ? 200 : 503).send({ ok, store, input });
      },
    }),
    route({
      method: 'GET',
      url: '/metrics',
      tag: 'operations',
      summary: 'Prometheus metrics: each site, and the collector',
      access: 'viewer',
      response: { status: 200, contentType: 'text/plain' },
      async handler({ reply }) {
        const text = await deps.metrics.metrics();
        return reply.code(200).header('content-type', deps.metrics.contentType).send(text);
      },
    }),
    route({
      method: 'GET',
      url: '/openapi.json',
      tag: 'operations',
      summary: 'This API as OpenAPI 3.1',
      access: 'public',
      response: { status: 200, schema: z.record(z.string(), z.unknown()) },
      handler: () => deps.openApi(),
    }),
  ];
}
