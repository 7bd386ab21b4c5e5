import pg from 'pg';
import { pgDataSteps, pgMigrations } from './migrations.js';

export type Db = pg.PoolClient;
/** A pool, or one connection in a transaction: what a statement runs on. */
export type Queryable = Pick<pg.PoolClient, 'query'>;

const INT8_OID = 20;
// Every bigint here is epoch milliseconds, a byte count, a sequence number or a count: all below 2^53.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

/** A pool whose bigints read as numbers (the schema as it is: see `openPool`). */
export function newPool(connectionString: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, types });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it. Queries report their own errors.
  });
  return pool;
}

/** A pool whose bigints read as numbers, its schema migrated. */
export async function openPool(connectionString: string, max: number): Promise<pg.Pool> {
  const pool = newPool(connectionString, max);
  try {
    await migrate(pool);
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }
  return pool;
}

/** Runs `fn` in a transaction on one pooled connection. */
export async function inTransaction<T>(pool: pg.Pool, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await pool.connect();
  try {
    await db.query('BEGIN');
    const result = await fn(db);
    await db.query('COMMIT');
    return result;
  } catch (error) {
    await db.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    db.release();
  }
}

async function migrate(pool: pg.Pool): Promise<void> {
  await inTransaction(pool, async (db) => {
    // One collector migrates; the others wait here, then find nothing left to do.
    await db.query("SELECT pg_advisory_xact_lock(hashtext('pantau_migrations'))");
    await db.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_ms bigint NOT NULL)',
    );
    const done = await db.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
    for (let i = done.rows[0]?.v ?? 0; i < pgMigrations.length; i++) {
      await db.query(pgMigrations[i] ?? '');
      await pgDataSteps[i + 1]?.(db);
      await db.query('INSERT INTO schema_migrations VALUES ($1, (extract(epoch FROM now()) * 1000)::bigint)', [i + 1]);
    }
  });
}
