import { z } from 'zod';
import type { AccessConfig } from '../access/access-config.js';
import { verifyPassword } from '../access/passwords.js';
import { CLEARED_SESSION_COOKIE, readCookie, SESSION_COOKIE, sessionCookie } from '../access/principal.js';
import type { Sessions } from '../access/sessions.js';
import { sendError } from '../api-error.js';
import { type AuditLog, auditEntrySchema } from '../audit-log.js';
import { type RouteDef, route } from '../route.js';

export interface SessionRouteDeps {
  readonly access: AccessConfig;
  readonly sessions: Sessions;
  readonly audit: AuditLog;
  readonly nowMs: () => number;
}

/** Failed logins per user name kept in a window; past the limit the name is refused for the window. */
const FAILURE_WINDOW_MS = 15 * 60_000;
const MAX_FAILURES = 10;
const MAX_TRACKED_NAMES = 10_000;

/** A hash to check against when the user is unknown, so the answer takes as long either way. */
const DECOY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

const meSchema = z.object({
  user: z.string(),
  role: z.enum(['viewer', 'admin']),
  csrfToken: z.string().nullable(),
  demo: z.boolean(),
});

/** Login, logout, who am I, and the audit log. */
export function sessionRoutes(deps: SessionRouteDeps): RouteDef[] {
  const failures = new Map<string, number[]>();
  const recentFailures = (name: string) => {
    const since = deps.nowMs() - FAILURE_WINDOW_MS;
    const kept = (failures.get(name) ?? []).filter((t) => t > since);
    failures.set(name, kept);
    return kept;
  };

  return [
    route({
      method: 'POST',
      url: '/api/login',
      tag: 'access',
      summary: 'Log in; sets the pantau_session cookie and gives the CSRF token for writes',
      access: 'public',
      body: z.object({ user: z.string().min(1).max(64), password: z.string().min(1).max(1024) }),
      response: {
        status: 200,
        schema: z.object({ user: z.string(), role: z.enum(['viewer', 'admin']), csrfToken: z.string() }),
      },
      async handler({ body, reply }) {
        const tried = recentFailures(body.user);
        if (tried.length >= MAX_FAILURES) {
          return sendError(reply, 429, 'too_many_logins', 'too many failed logins for this user: wait 15 minutes');
        }
        const user = deps.access.users.find((u) => u.name === body.user);
        const good = await verifyPassword(body.password, user?.passwordHash ?? DECOY_HASH);
        if (user === undefined || !good) {
          tried.push(deps.nowMs());
          if (failures.size > MAX_TRACKED_NAMES) failures.delete(failures.keys().next().value ?? '');
          await deps.audit.appendAudit({
            atMs: deps.nowMs(),
            user: body.user,
            role: user?.role ?? 'none',
            action: 'login',
            target: body.user,
            ok: false,
            detail: 'wrong user or password',
          });
          return sendError(reply, 401, 'bad_login', 'wrong user or password');
        }
        failures.delete(body.user);
        const session = deps.sessions.open(user.name, user.role);
        reply.header('set-cookie', sessionCookie(session, deps.access.sessionTtlSec));
        return { user: user.name, role: user.role, csrfToken: session.csrfToken };
      },
    }),
    route({
      method: 'POST',
      url: '/api/logout',
      tag: 'access',
      summary: 'Log out (ends the session)',
      access: 'public',
      response: { status: 200, schema: z.object({ ok: z.literal(true) }) },
      handler({ request, reply }) {
        const id = readCookie(request.headers.cookie, SESSION_COOKIE);
        if (id !== null) deps.sessions.close(id);
        reply.header('set-cookie', CLEARED_SESSION_COOKIE);
        return { ok: true as const };
      },
    }),
    route({
      method: 'GET',
      url: '/api/me',
      tag: 'access',
      summary: 'Who is asking: user, role, the CSRF token of the session, and whether this is a demo',
      access: 'viewer',
      response: { status: 200, schema: meSchema },
      handler({ principal }) {
        return {
          user: principal?.user ?? 'anonymous',
          role: principal?.role ?? 'viewer',
          csrfToken: principal?.session?.csrfToken ?? null,
          demo: deps.access.mode === 'demo',
        };
      },
    }),
    route({
      method: 'GET',
      url: '/api/audit',
      tag: 'access',
      summary: 'The audit log of writes and refused logins, newest first (admins)',
      access: 'admin',
      query: z.object({ limit: z.coerce.number().int().min(1).max(10_000).default(200) }),
      response: { status: 200, schema: z.object({ entries: z.array(auditEntrySchema) }) },
      async handler({ query }) {
        return { entries: await deps.audit.recentAudit(query.limit) };
      },
    }),
  ];
}
