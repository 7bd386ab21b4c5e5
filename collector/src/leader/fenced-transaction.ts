import type pg from 'pg';

export type Fenced<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly code: 'fenced'; readonly currentEpoch: number | null };

/**
 * Runs `write` in a transaction that first checks that `epoch` is still the lease's current one,
 * and refuses (`fenced`, nothing written) when a newer leader has taken over. The check holds a
 * share lock on the lease row until COMMIT, so a new leader's epoch increment waits for a write in
 * flight, and every later write of the old leader sees the new epoch: no write of an old epoch
 * commits after a newer epoch began. A writer paused inside the transaction is ended by the server
 * after `leaseMs` idle (and rolled back), so it cannot hold the increment up for longer.
 */
export async function fencedTransaction<T>(
  pool: Pick<pg.Pool, 'connect'>,
  epoch: number,
  leaseMs: number,
  write: (db: pg.PoolClient) => Promise<T>,
): Promise<Fenced<T>> {
  const db = await pool.connect();
  let broken = false;
  // The pool listens for errors only on idle clients: a session the server ends while we hold it
  // (idle in transaction past the lease) would otherwise be an unhandled 'error' that ends the
  // process. The next query, or COMMIT, fails instead, and the write is refused as a whole.
  const onSessionError = (): void => {
    broken = true;
  };
  db.on('error', onSessionError);
  try {
    await db.query('BEGIN');
    await db.query(`SET LOCAL idle_in_transaction_session_timeout = ${Math.round(leaseMs)}`);
    const row = await db.query<{ epoch: string }>(
      'SELECT epoch::text AS epoch FROM evaluator_lease WHERE id = 1 FOR SHARE',
    );
    const current = row.rows[0] === undefined ? null : Number(row.rows[0].epoch);
    if (current !== epoch) {
      await db.query('ROLLBACK');
      return { ok: false, code: 'fenced', currentEpoch: current };
    }
    const value = await write(db);
    await db.query('COMMIT');
    return { ok: true, value };
  } catch (error) {
    await db.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    db.removeListener('error', onSessionError);
    // A connection the server ended (idle past the lease) must not go back into the pool.
    db.release(broken);
  }
}
