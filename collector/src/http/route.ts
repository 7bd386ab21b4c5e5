import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Principal } from './access/principal.js';
import { sendError } from './api-error.js';

/** Who may call a route: anyone, a viewer (all reads), or an admin (writes). */
export type RouteAccess = 'public' | 'viewer' | 'admin';

export interface RouteContext<Q, P, B> {
  readonly query: Q;
  readonly params: P;
  readonly body: B;
  readonly principal: Principal | null;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
}

/**
 * One route: its zod schemas are both what the request is parsed with and what `/openapi.json`
 * says of it, so the document cannot drift from the code.
 */
export interface RouteDef<Q = unknown, P = unknown, B = unknown> {
  readonly method: 'GET' | 'POST';
  /** fastify's form, e.g. `/api/sites/:siteId`. */
  readonly url: string;
  readonly summary: string;
  readonly tag: string;
  readonly access: RouteAccess;
  readonly query?: z.ZodType<Q>;
  readonly params?: z.ZodType<P>;
  readonly body?: z.ZodType<B>;
  /** The success answer: status, and a zod schema (JSON) or a content type (anything else). */
  readonly response: { readonly status: number; readonly schema?: z.ZodType; readonly contentType?: string };
  handler(ctx: RouteContext<Q, P, B>): Promise<unknown> | unknown;
}

/** Keeps the types of one route's schemas and handler together. */
export function route<Q = undefined, P = undefined, B = undefined>(def: RouteDef<Q, P, B>): RouteDef {
  return def as unknown as RouteDef;
}

export interface Guard {
  /** Resolves the principal and checks access; answers the request itself (and gives null) when refused. */
  check(def: RouteDef, request: FastifyRequest, reply: FastifyReply): Promise<{ principal: Principal | null } | null>;
}

function issues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`)
    .join('; ');
}

export function registerRoutes(app: FastifyInstance, defs: readonly RouteDef[], guard: Guard): void {
  for (const def of defs) {
    app.route({
      method: def.method,
      url: def.url,
      handler: async (request, reply) => {
        const allowed = await guard.check(def, request, reply);
        if (allowed === null) return reply;
        const parsed: Record<'query' | 'params' | 'body', unknown> = {
          query: undefined,
          params: undefined,
          body: undefined,
        };
        for (const part of ['query', 'params', 'body'] as const) {
          const schema = def[part];
          if (schema === undefined) continue;
          const result = schema.safeParse(request[part] ?? {});
          if (!result.success) return sendError(reply, 400, 'bad_request', `${part}: ${issues(result.error)}`);
          parsed[part] = result.data;
        }
        if (def.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
        const value = await def.handler({ ...parsed, principal: allowed.principal, request, reply });
        if (reply.sent) return reply;
        if (value === undefined) return reply;
        return reply.code(def.response.status).send(value);
      },
    });
  }
}
