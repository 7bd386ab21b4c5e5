import type { AccessConfig, Role } from './access-config.js';
import { hashToken, sameSecret } from './passwords.js';
import type { Session, Sessions } from './sessions.js';

export const SESSION_COOKIE = 'pantau_session';

/** Who is asking, and how they proved it. */
export interface Principal {
  readonly user: string;
  readonly role: Role;
  readonly via: 'session' | 'token' | 'demo';
  readonly session: Session | null;
}

export type Identified = { ok: true; principal: Principal | null } | { ok: false; code: 'bad_token' };

/** Reads one cookie from a Cookie header (RFC 6265 pairs separated by `; `). */
export function readCookie(header: string | undefined, name: string): string | null {
  if (header === undefined) return null;
  for (const pair of header.split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return null;
}

/**
 * A bearer token wins over a session cookie; a token that matches nobody is refused rather than
 * treated as anonymous (a machine with a stale token should hear so). No proof: demo mode acts as
 * admin, closed mode has no principal.
 */
export function identify(
  headers: { authorization?: string | undefined; cookie?: string | undefined },
  access: AccessConfig,
  sessions: Sessions,
): Identified {
  const auth = headers.authorization;
  if (auth !== undefined && /^bearer /i.test(auth)) {
    const hash = hashToken(auth.slice(7).trim());
    const token = access.tokens.find((t) => sameSecret(t.tokenHash, hash));
    if (token === undefined) return { ok: false, code: 'bad_token' };
    return { ok: true, principal: { user: token.name, role: token.role, via: 'token', session: null } };
  }
  const id = readCookie(headers.cookie, SESSION_COOKIE);
  const session = id === null ? null : sessions.get(id);
  if (session !== null) {
    return { ok: true, principal: { user: session.user, role: session.role, via: 'session', session } };
  }
  if (access.mode === 'demo')
    return { ok: true, principal: { user: 'demo', role: 'admin', via: 'demo', session: null } };
  return { ok: true, principal: null };
}

export function sessionCookie(session: Session, ttlSec: number): string {
  return `${SESSION_COOKIE}=${session.id}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${ttlSec}`;
}

export const CLEARED_SESSION_COOKIE = `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`;
