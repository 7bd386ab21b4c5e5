import type { Role } from './access-config.js';

export interface Session {
  readonly id: string;
  readonly user: string;
  readonly role: Role;
  readonly csrfToken: string;
  readonly expiresMs: number;
}

export interface SessionDeps {
  readonly ttlMs: number;
  readonly max: number;
  readonly nowMs: () => number;
  /** Unguessable ids (crypto.randomBytes in production). */
  readonly newSecret: () => string;
}

/**
 * Login sessions, in memory: a restart logs everyone out, which a NOC can live with and which
 * keeps secrets out of the store. Bounded: past `max` the oldest session is dropped.
 */
export function createSessions(deps: SessionDeps) {
  const sessions = new Map<string, Session>();
  return {
    open(user: string, role: Role): Session {
      const session = {
        id: deps.newSecret(),
        user,
        role,
        csrfToken: deps.newSecret(),
        expiresMs: deps.nowMs() + deps.ttlMs,
      };
      sessions.set(session.id, session);
      while (sessions.size > deps.max) {
        const oldest = sessions.keys().next().value;
        if (oldest === undefined) break;
        sessions.delete(oldest);
      }
      return session;
    },
    get(id: string): Session | null {
      const session = sessions.get(id);
      if (session === undefined) return null;
      if (session.expiresMs <= deps.nowMs()) {
        sessions.delete(id);
        return null;
      }
      return session;
    },
    close(id: string): void {
      sessions.delete(id);
    },
  };
}
export type Sessions = ReturnType<typeof createSessions>;
