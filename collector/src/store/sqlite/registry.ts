import type Database from 'better-sqlite3';
import { type SiteRecord, sameRecord } from '../../registry/site-record.js';
import type { ImportSummary, SiteRegistry } from '../../registry/site-registry.js';
import { REGISTRY_COLUMNS, type RegistryRow, recordFromRow, registryValues } from '../health-rows.js';

/** The site registry on SQLite. */
export function sqliteRegistry(db: Database.Database): SiteRegistry {
  const selectOne = db.prepare<[string], RegistryRow>('SELECT * FROM registry WHERE site_id = ?');
  const selectAll = db.prepare<[], RegistryRow>('SELECT * FROM registry ORDER BY site_id');
  // REPLACE writes a whole new row: the decommission mark, not among the columns, is cleared.
  const upsertOne = db.prepare(
    `INSERT OR REPLACE INTO registry (${REGISTRY_COLUMNS.join(', ')})
     VALUES (${REGISTRY_COLUMNS.map(() => '?').join(', ')})`,
  );
  const markOne = db.prepare<[number, string]>(
    'UPDATE registry SET decommissioned_ms = coalesce(decommissioned_ms, ?) WHERE site_id = ?',
  );
  const upsertTx = db.transaction((records: readonly SiteRecord[]): ImportSummary => {
    let added = 0;
    let updated = 0;
    let unchanged = 0;
    let recommissioned = 0;
    for (const record of records) {
      const old = selectOne.get(record.siteId);
      const decommissioned = old !== undefined && old.decommissioned_ms !== null;
      if (old !== undefined && !decommissioned && sameRecord(recordFromRow(old), record)) {
        unchanged++;
        continue;
      }
      if (old === undefined) added++;
      else updated++;
      if (decommissioned) recommissioned++;
      upsertOne.run(...registryValues(record));
    }
    return { added, updated, unchanged, recommissioned };
  });
  return {
    async get(siteId) {
      const row = selectOne.get(siteId);
      return row === undefined ? null : recordFromRow(row);
    },
    list: async () => selectAll.all().map(recordFromRow),
    upsert: async (records) => upsertTx(records),
    decommission: async (siteId, atMs) => markOne.run(atMs, siteId).changes > 0,
  };
}
