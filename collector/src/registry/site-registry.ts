import { type SiteRecord, sameRecord } from './site-record.js';

export interface ImportSummary {
  readonly added: number;
  readonly updated: number;
  readonly unchanged: number;
  /** Of the updated, sites that were decommissioned and are in service again. */
  readonly recommissioned: number;
}

/**
 * A registered site as the registry keeps it: its record and, once `decommission` took it out of
 * service, when (ms; null while in service). A decommissioned site stays, so reports and the
 * overview still know it existed.
 */
export type RegisteredSite = SiteRecord & { readonly decommissionedMs: number | null };

/** Same record and same decommission mark: nothing a reader of the registry would see changed. */
export function sameRegistration(a: RegisteredSite, b: RegisteredSite): boolean {
  return sameRecord(a, b) && a.decommissionedMs === b.decommissionedMs;
}

/**
 * Where registered sites are kept (a store role). `upsert` is idempotent: importing the same file
 * twice changes nothing the second time. Sites are never deleted: decommissioning marks them.
 */
export interface SiteRegistry {
  get(siteId: string): Promise<RegisteredSite | null>;
  list(): Promise<RegisteredSite[]>;
  /**
   * In one transaction: adds new sites, replaces changed ones, counts the rest. A decommissioned
   * site written again is in service again (its mark cleared; counted updated and recommissioned).
   */
  upsert(records: readonly SiteRecord[]): Promise<ImportSummary>;
  /** Marks a registered site decommissioned at `atMs` (an earlier mark stays); false: not registered. */
  decommission(siteId: string, atMs: number): Promise<boolean>;
}

export function createMemoryRegistry(initial: readonly SiteRecord[] = []): SiteRegistry {
  const sites = new Map<string, RegisteredSite>(initial.map((s) => [s.siteId, { ...s, decommissionedMs: null }]));
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
      let recommissioned = 0;
      for (const record of records) {
        const old = sites.get(record.siteId);
        if (old === undefined) added++;
        else if (old.decommissionedMs === null && sameRecord(old, record)) unchanged++;
        else updated++;
        if (old !== undefined && old.decommissionedMs !== null) recommissioned++;
        sites.set(record.siteId, { ...record, decommissionedMs: null });
      }
      return { added, updated, unchanged, recommissioned };
    },
    async decommission(siteId, atMs) {
      const old = sites.get(siteId);
      if (old === undefined) return false;
      if (old.decommissionedMs === null) sites.set(siteId, { ...old, decommissionedMs: atMs });
      return true;
    },
  };
}
