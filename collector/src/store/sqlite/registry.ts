import type Database from 'better-sqlite3';
import { type SiteRecord, sameRecord } from '../../registry/site-record.js';
import type { ImportSummary, SiteRegistry } from '../../registry/site-registry.js';
import { REGISTRY_COLUMNS, type RegistryRow, recordFromRow, registryValues } from '../health-rows.js';

/** The site registry on SQLite. */
export function sqliteRegistry(db: Database.Database): SiteRegistry {
  const selectOne = db.prepare<[string], RegistryRow>('SELECT * FROM registry WHERE site_id = ?');
  const selectAll = db.prepare<[], RegistryRow>('SELECT * FROM registry ORDER BY site_id');
  const upsertOne = db.prepare(
    `INSERT OR REPLACE INTO registry (${REGISTRY_COLUMNS.join(', ')})
     VALUES (${REGISTRY_COLUMNS.map(() => '?').join(', ')})`,
  );
  const deleteOne = db.prepare('DELETE FROM registry WHERE site_id = ?');
  const upsertTx = db.transaction((records: readonly SiteRecord[]): ImportSummary => {
    let added = 0;
    let updated = 0;
    let unchanged = 0;
    for (const record of records) {
      const old = selectOne.get(record.siteId);
      if (old !== undefined && sameRecord(recordFromRow(old), record)) {
        unchanged++;
        continue;
      }
      if (old === undefined) added++;
      else updated++;
      upsertOne.run(...registryValues(record));
    }
    return { added, updated, unchanged };
  });
  return {
    async get(siteId) {
      const row = selectOne.get(siteId);
      return row === undefined ? null : recordFromRow(row);
    },
    list: async () => selectAll.all().map(recordFromRow),
    upsert: async (records) => upsertTx(records),
    remove: async (siteId) => deleteOne.run(siteId).changes > 0,
  };
}
