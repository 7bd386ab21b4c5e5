import type pg from 'pg';
import { type AuditLog, boundedAudit } from '../../http/audit-log.js';

interface AuditRow {
  at_ms: string;
  user_name: string;
  role: string;
  action: string;
  target: string;
  ok: boolean;
  detail: string;
}

/** The HTTP API's audit log on PostgreSQL. */
export function postgresAuditLog(pool: pg.Pool): AuditLog {
  return {
    async appendAudit(entry) {
      const e = boundedAudit(entry);
      await pool.query(
        'INSERT INTO audit_log (at_ms, user_name, role, action, target, ok, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [e.atMs, e.user, e.role, e.action, e.target, e.ok, e.detail],
      );
    },
    async recentAudit(limit) {
      const res = await pool.query<AuditRow>('SELECT * FROM audit_log ORDER BY id DESC LIMIT $1', [limit]);
      return res.rows.map((r) => ({
        atMs: Number(r.at_ms),
        user: r.user_name,
        role: r.role,
        action: r.action,
        target: r.target,
        ok: r.ok,
        detail: r.detail,
      }));
    },
  };
}
