import type { HealthRetention } from '../../health/ports.js';
import { HEALTH_PRUNE_CHUNK, healthPruneStatements } from '../health-rows.js';
import type { Queryable } from './pool.js';

const SQL = healthPruneStatements('$1', '$2');

/** Retention of health data on PostgreSQL, a chunk per statement so that no delete holds locks long. */
export function postgresHealthRetention(pool: Queryable): HealthRetention {
  async function chunked(sql: string, beforeMs: number): Promise<number> {
    let deleted = 0;
    for (;;) {
      const n = (await pool.query(sql, [beforeMs, HEALTH_PRUNE_CHUNK])).rowCount ?? 0;
      deleted += n;
      if (n < HEALTH_PRUNE_CHUNK) return deleted;
    }
  }
  const once = async (sql: string, beforeMs: number) => (await pool.query(sql, [beforeMs])).rowCount ?? 0;

  return {
    async pruneHealth({ historyBeforeMs, outboxBeforeMs }) {
      return {
        transitions: await chunked(SQL.transitions, historyBeforeMs),
        incidents: await once(SQL.incidents, historyBeforeMs),
        controls: await once(SQL.controls, historyBeforeMs),
        outbox: await chunked(SQL.outbox, outboxBeforeMs),
      };
    },
  };
}
