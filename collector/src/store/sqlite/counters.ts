import type Database from 'better-sqlite3';
import {
  type CounterDelta,
  type CounterName,
  type CounterRow,
  countersFromRows,
  type StoredCounters,
} from '../counters.js';

/** The counters table on SQLite: added to inside the caller's transaction, read for `stats`. */
export function prepareCounters(db: Database.Database) {
  const upsert = db.prepare(
    `INSERT INTO counters (name, key, value) VALUES (?, ?, ?)
     ON CONFLICT (name, key) DO UPDATE SET value = value + excluded.value`,
  );
  const selectAll = db.prepare<[], CounterRow>('SELECT name, key, value FROM counters');
  const totals = db.prepare<[], { sites: number; samples: number }>(
    'SELECT count(*) AS sites, coalesce(sum(samples), 0) AS samples FROM sites',
  );
  const quarantined = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM rejects');
  return {
    add(name: CounterName, key: string, n: number): void {
      if (n !== 0) upsert.run(name, key, n);
    },
    write(delta: CounterDelta): void {
      for (const r of delta.rows()) upsert.run(r.name, r.key, r.value);
    },
    read(): StoredCounters {
      const { sites, samples } = totals.get() ?? { sites: 0, samples: 0 };
      return countersFromRows(selectAll.all(), { sites, samples, quarantined: quarantined.get()?.n ?? 0 });
    },
  };
}
