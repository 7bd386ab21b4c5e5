import type Database from 'better-sqlite3';
import type { HealthRetention } from '../../health/ports.js';
import { HEALTH_PRUNE_CHUNK, healthPruneStatements } from '../health-rows.js';
import { yieldToEvents } from './maintenance.js';

/** Retention of health data on SQLite, a chunk per transaction so that writers get in between. */
export function sqliteHealthRetention(db: Database.Database): HealthRetention {
  const sql = healthPruneStatements('?', '?');
  const transitions = db.prepare(sql.transitions);
  const outbox = db.prepare(sql.outbox);
  const incidents = db.prepare(sql.incidents);
  const controls = db.prepare(sql.controls);

  async function chunked(statement: Database.Statement, beforeMs: number): Promise<number> {
    let deleted = 0;
    for (;;) {
      const n = statement.run(beforeMs, HEALTH_PRUNE_CHUNK).changes;
      deleted += n;
      if (n < HEALTH_PRUNE_CHUNK) return deleted;
      await yieldToEvents();
    }
  }

  return {
    async pruneHealth({ historyBeforeMs, outboxBeforeMs }) {
      return {
        transitions: await chunked(transitions, historyBeforeMs),
        incidents: incidents.run(historyBeforeMs).changes,
        controls: controls.run(historyBeforeMs).changes,
        outbox: await chunked(outbox, outboxBeforeMs),
      };
    },
  };
}
