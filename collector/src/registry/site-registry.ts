import { type SiteRecord, sameRecord } from './site-record.js';

export interface ImportSummary {
  readonly added: number;
  readonly updated: number;
  readonly unchanged: number;
}

/**
 * Where registered sites are kept (a store role). `upsert` is idempotent: importing the same file
 * twice changes nothing the second time. Sites are never deleted by an import.
 */
export interface SiteRegistry {
  get(siteId: string): Promise<SiteRecord | null>;
  list(): Promise<SiteRecord[]>;
  /** In one transaction: adds new sites, replaces changed ones, counts the rest. */
  upsert(records: readonly SiteRecord[]): Promise<ImportSummary>;
  remove(siteId: string): Promise<boolean>;
}

export function createMemoryRegistry(initial: readonly SiteRecord[] = []): SiteRegistry {
  const sites = new Map(initial.map((s) => [s.siteId, s]));
  return {
    async get(siteId) {
      return sites.get(siteId) ?? null;
    },
    async list() {
      return [...sites.values()].sort((a, b) => a.siteId.localeCompare(b.siteId));
    },
    async upsert(records) {
      let added = 0;
      let updated = 0;
      let unchanged = 0;
      for (const record of records) {
        const old = sites.get(record.siteId);
        if (old === undefined) added++;
        else if (sameRecord(old, record)) unchanged++;
        else updated++;
        sites.set(record.siteId, record);
      }
      return { added, updated, unchanged };
    },
    async remove(siteId) {
      return sites.delete(siteId);
    },
  };
}
