import pg from 'pg';
import type { LockSession } from './lock-session.js';

/** One advisory lock for the whole database: whoever holds it evaluates health and writes alerts. */
export const EVALUATOR_LOCK_SQL = "hashtext('pantau_health_evaluator')";

/**
 * The lease's table lives with the lease, not in the store's migrations: only the holder of the
 * advisory lock creates or changes it, so two collectors never race on its creation.
 */
const CREATE_LEASE = `CREATE TABLE IF NOT EXISTS evaluator_lease (
  id          integer PRIMARY KEY CHECK (id = 1),
  epoch       bigint  NOT NULL,
  holder      text    NOT NULL,
  acquired_ms bigint  NOT NULL
)`;

const NEXT_EPOCH = `INSERT INTO evaluator_lease (id, epoch, holder, acquired_ms) VALUES (1, 1, $1, $2)
  ON CONFLICT (id) DO UPDATE SET epoch = evaluator_lease.epoch + 1, holder = $1, acquired_ms = $2
  RETURNING epoch::text AS epoch`;

export interface PgLockSessionOptions {
  readonly connectionString: string;
  /** Who holds the lease, as the table shows it (the collector's client id). */
  readonly holder: string;
  /**
   * The server ends this session after this long without a query (`idle_session_timeout`), which
   * releases the lock: a leader that is paused (SIGSTOP), hung or cut off loses it without its help.
   */
  readonly leaseMs: number;
  readonly nowMs: () => number;
}

/** Opens a dedicated connection for the evaluator lock (docs/scaling.md, "One health evaluator"). */
export async function openPgLockSession(options: PgLockSessionOptions): Promise<LockSession> {
  const client = new pg.Client({ connectionString: options.connectionString });
  // A lost connection surfaces as a failed query (heartbeat); an 'error' event must not crash the process.
  client.on('error', () => {});
  await client.connect();
  let closed = false;
  try {
    await client.query(`SET idle_session_timeout = ${Math.round(options.leaseMs)}`);
    await client.query("SET application_name = 'pantau-evaluator-lock'");
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
  return {
    async tryAcquire() {
      const locked = await client.query<{ locked: boolean }>(
        `SELECT pg_try_advisory_lock(${EVALUATOR_LOCK_SQL}) AS locked`,
      );
      if (locked.rows[0]?.locked !== true) return null;
      await client.query(CREATE_LEASE);
      const next = await client.query<{ epoch: string }>(NEXT_EPOCH, [options.holder, options.nowMs()]);
      return Number(next.rows[0]?.epoch);
    },
    async heartbeat() {
      await client.query('SELECT 1');
    },
    async close() {
      if (closed) return;
      closed = true;
      await client.end().catch(() => {});
    },
  };
}
