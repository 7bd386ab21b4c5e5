import { z } from 'zod';

/** One write through the HTTP API (or a refused login), as the audit log keeps it. */
export const auditEntrySchema = z.object({
  atMs: z.int(),
  user: z.string(),
  role: z.string(),
  action: z.string(),
  target: z.string(),
  ok: z.boolean(),
  detail: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** Audit fields are bounded so a hostile request cannot grow the log by much per line. */
export const AUDIT_FIELD_MAX = 500;

/**
 * The audit log of the HTTP API's writes (a store role): append-only, read newest first. Every
 * write, allowed or refused, leaves a line, so the NOC can tell who silenced what and when.
 */
export interface AuditLog {
  appendAudit(entry: AuditEntry): Promise<void>;
  /** The newest `limit` lines, newest first. */
  recentAudit(limit: number): Promise<AuditEntry[]>;
}

export function boundedAudit(entry: AuditEntry): AuditEntry {
  const cut = (s: string) => s.slice(0, AUDIT_FIELD_MAX);
  return {
    ...entry,
    user: cut(entry.user),
    role: cut(entry.role),
    action: cut(entry.action),
    target: cut(entry.target),
    detail: cut(entry.detail),
  };
}

export function createMemoryAuditLog(): AuditLog {
  const lines: AuditEntry[] = [];
  return {
    async appendAudit(entry) {
      lines.push(boundedAudit(entry));
    },
    async recentAudit(limit) {
      return lines.slice(-limit).reverse();
    },
  };
}
