import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from '../api-error.js';
import type { AuditLog } from '../audit-log.js';
import type { Guard, RouteDef } from '../route.js';
import type { AccessConfig } from './access-config.js';
import { sameSecret } from './passwords.js';
import { identify } from './principal.js';
import type { Sessions } from './sessions.js';

export interface GuardDeps {
  readonly access: AccessConfig;
  readonly sessions: Sessions;
  readonly audit: AuditLog;
  readonly nowMs: () => number;
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Access to each route by its level. Writes by a cookie session must carry the session's CSRF
 * token in `x-csrf-token` (a bearer token cannot be sent by another site's page, a cookie can).
 * A refused write leaves an audit line too.
 */
export function createGuard(deps: GuardDeps): Guard {
  return {
    async check(def: RouteDef, request: FastifyRequest, reply: FastifyReply) {
      const id = identify(
        { authorization: header(request, 'authorization'), cookie: header(request, 'cookie') },
        deps.access,
        deps.sessions,
      );
      if (def.access === 'public') return { principal: id.ok ? id.principal : null };
      const write = def.method !== 'GET';
      const refuse = async (
        status: number,
        code: 'bad_token' | 'unauthenticated' | 'forbidden' | 'csrf',
        message: string,
        user: string,
        role: string,
      ) => {
        if (write) {
          await deps.audit.appendAudit({
            atMs: deps.nowMs(),
            user,
            role,
            action: `${def.method} ${def.url}`,
            target: request.url.split('?')[0] ?? '',
            ok: false,
            detail: code,
          });
        }
        sendError(reply, status, code, message);
        return null;
      };
      if (!id.ok)
        return refuse(
          401,
          'bad_token',
          'the bearer token is not known: check it, or make a new one',
          'unknown token',
          'none',
        );
      const principal = id.principal;
      if (principal === null)
        return refuse(401, 'unauthenticated', 'log in (POST /api/login) or send a bearer token', 'anonymous', 'none');
      if (def.access === 'admin' && principal.role !== 'admin') {
        return refuse(403, 'forbidden', 'this needs the admin role', principal.user, principal.role);
      }
      if (write && principal.via === 'session') {
        const sent = header(request, 'x-csrf-token') ?? '';
        if (principal.session === null || !sameSecret(sent, principal.session.csrfToken)) {
          return refuse(
            403,
            'csrf',
            'send the x-csrf-token header that /api/login or /api/me gave',
            principal.user,
            principal.role,
          );
        }
      }
      return { principal };
    },
  };
}
