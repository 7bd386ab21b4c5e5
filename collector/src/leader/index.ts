export { type Fenced, fencedTransaction } from './fenced-transaction.js';
export { createLeaderLease, type LeaderLease, type LeaderLeaseOptions } from './leader-lease.js';
export type { LockSession, OpenLockSession } from './lock-session.js';
export { openPgLockSession, type PgLockSessionOptions } from './pg-lock-session.js';
