import type { AuditEntry, Store } from '@pantau/collector';
import { describe, expect, it } from 'vitest';
import { freshStoreEachTest } from './store-fixtures.js';

/** The audit log role (AuditLog): the HTTP API's writes, kept and read newest first. */
export function auditLogContract(name: string, open: () => Promise<Store>): void {
  describe(`AuditLog contract: ${name}`, () => {
    let store: Store;
    freshStoreEachTest(open, (s) => {
      store = s;
    });
    const line = (atMs: number, action: string, ok = true): AuditEntry => ({
      atMs,
      user: 'dewi',
      role: 'admin',
      action,
      target: 'kt-sangatta-01/offline',
      ok,
      detail: 'genset refuelled',
    });

    it('keeps every line and gives the newest first, as many as asked', async () => {
      await store.appendAudit(line(1_000, 'ack'));
      await store.appendAudit(line(2_000, 'silence', false));
      await store.appendAudit(line(3_000, 'end'));
      expect(await store.recentAudit(2)).toEqual([line(3_000, 'end'), line(2_000, 'silence', false)]);
      expect((await store.recentAudit(10)).map((l) => l.action)).toEqual(['end', 'silence', 'ack']);
    });

    it('keeps two lines of the same millisecond in the order written', async () => {
      await store.appendAudit(line(5_000, 'first'));
      await store.appendAudit(line(5_000, 'second'));
      expect((await store.recentAudit(2)).map((l) => l.action)).toEqual(['second', 'first']);
    });

    it('cuts an overlong field rather than refusing the line', async () => {
      await store.appendAudit({ ...line(1, 'login'), user: 'x'.repeat(5_000), ok: false });
      const [kept] = await store.recentAudit(1);
      expect(kept?.user.length).toBe(500);
      expect(kept?.ok).toBe(false);
    });

    it('is empty in a new store', async () => {
      expect(await store.recentAudit(5)).toEqual([]);
    });
  });
}
