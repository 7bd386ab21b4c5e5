import type Database from 'better-sqlite3';
import { type AuditLog, boundedAudit } from '../../http/audit-log.js';

interface AuditRow {
  at_ms: number;
  user_name: string;
  role: string;
  action: string;
  target: string;
  ok: number;
  detail: string;
}

/** The HTTP API's audit log on SQLite. */
export function sqliteAuditLog(db: Database.Database): AuditLog {
  const insert = db.prepare(
    'INSERT INTO audit_log (at_ms, user_name, role, action, target, ok, detail) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const recent = db.prepare<[number], AuditRow>('SELECT * FROM audit_log ORDER BY id DESC LIMIT ?');
  return {
    async appendAudit(entry) {
      const e = boundedAudit(entry);
      insert.run(e.atMs, e.user, e.role, e.action, e.target, e.ok ? 1 : 0, e.detail);
    },
    async recentAudit(limit) {
      return recent.all(limit).map((r) => ({
        atMs: r.at_ms,
        user: r.user_name,
        role: r.role,
        action: r.action,
        target: r.target,
        ok: r.ok === 1,
        detail: r.detail,
      }));
    },
  };
}
