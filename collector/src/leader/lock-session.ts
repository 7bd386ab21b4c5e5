/**
 * One contender's hold on the evaluator lock: a dedicated database session, because a PostgreSQL
 * advisory lock belongs to the session that took it and is released when that session ends.
 */
export interface LockSession {
  /** Takes the lock if it is free; when taken, starts a new epoch and resolves it, else null. */
  tryAcquire(): Promise<number | null>;
  /** Proves the session is alive (the server ends a session idle past the lease); rejects when it is not. */
  heartbeat(): Promise<void>;
  /** Ends the session, which releases the lock. Safe to call twice. */
  close(): Promise<void>;
}

export type OpenLockSession = () => Promise<LockSession>;
