export {
  createEvaluatorGate,
  type EvaluatorGate,
  type EvaluatorGateDeps,
  type EvaluatorGateOptions,
  type EvaluatorSession,
  type GatedRunner,
} from './evaluator-gate.js';
export { type Fenced, fencedTransaction } from './fenced-transaction.js';
export { createLeaderLease, type LeaderLease, type LeaderLeaseOptions } from './leader-lease.js';
export type { LockSession, OpenLockSession } from './lock-session.js';
export { openPgLockSession, type PgLockSessionOptions } from './pg-lock-session.js';
export type { FeedCursor, StoredBatch, StoredEvents, StoredStatus } from './stored-events.js';
