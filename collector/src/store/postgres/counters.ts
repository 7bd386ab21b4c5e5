import type pg from 'pg';
import { type CounterRow, countersFromRows, type StoredCounters } from '../counters.js';

/** Adds $3 to counter ($1, $2). */
export const ADD_COUNTER = `INSERT INTO counters (name, key, value) VALUES ($1, $2, $3)
  ON CONFLICT (name, key) DO UPDATE SET value = counters.value + excluded.value`;

export async function readCounters(pool: pg.Pool): Promise<StoredCounters> {
  const [rows, totals, rejects] = await Promise.all([
    pool.query<CounterRow>('SELECT name, key, value FROM counters'),
    pool.query<{ sites: number; samples: number }>(
      'SELECT count(*) AS sites, coalesce(sum(samples), 0)::bigint AS samples FROM sites',
    ),
    pool.query<{ n: number }>('SELECT count(*) AS n FROM rejects'),
  ]);
  const { sites, samples } = totals.rows[0] ?? { sites: 0, samples: 0 };
  return countersFromRows(rows.rows, { sites, samples, quarantined: rejects.rows[0]?.n ?? 0 });
}
