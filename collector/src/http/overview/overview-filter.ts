import { z } from 'zod';
import type { OverviewRow } from './overview-row.js';
import { type SiteState, siteStates } from './states.js';

export const overviewQuerySchema = z.object({
  kabupaten: z.string().max(32).optional(),
  kecamatan: z.string().max(32).optional(),
  group: z.string().max(64).optional(),
  q: z.string().max(200).optional(),
  state: z.enum(siteStates).optional(),
});
export type OverviewQuery = z.infer<typeof overviewQuerySchema>;

export function isUnfiltered(query: OverviewQuery): boolean {
  return Object.values(query).every((v) => v === undefined || v === '');
}

/** Narrows the rows; `q` matches site id, name, desa, kecamatan or kabupaten, ignoring case. */
export function filterRows(rows: readonly OverviewRow[], query: OverviewQuery): OverviewRow[] {
  const q = query.q?.trim().toLowerCase() ?? '';
  return rows.filter((r) => {
    if (query.kabupaten && r.kabupatenCode !== query.kabupaten) return false;
    if (query.kecamatan && r.kecamatanCode !== query.kecamatan) return false;
    if (query.group && r.group !== query.group) return false;
    if (query.state === 'unregistered' ? r.registered : query.state !== undefined && r.state !== query.state)
      return false;
    if (q === '') return true;
    return [r.siteId, r.name, r.desa, r.kecamatan, r.kabupaten].some((v) => v?.toLowerCase().includes(q));
  });
}

export type OverviewCounts = Record<SiteState | 'total', number>;

export function countRows(rows: readonly OverviewRow[]): OverviewCounts {
  const counts = Object.fromEntries([...siteStates, 'total'].map((k) => [k, 0])) as OverviewCounts;
  for (const r of rows) {
    counts[r.state]++;
    if (!r.registered) counts.unregistered++;
    counts.total++;
  }
  return counts;
}
