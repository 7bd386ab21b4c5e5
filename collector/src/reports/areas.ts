import type { SiteRecord } from '../registry/site-record.js';
import { emptyTally, figuresOf, mergeTally, type Tally } from './tally.js';
import type { AreaReport } from './types.js';

interface Area {
  readonly code: string;
  readonly name: string;
  readonly parentCode: string | null;
  readonly tally: Tally;
}

/** Each kecamatan's and kabupaten's sites merged, in code order; unregistered sites belong to none. */
export function areaReports(
  sites: readonly { readonly record: SiteRecord | null; readonly tally: Tally }[],
  days: number,
): { kecamatan: AreaReport[]; kabupaten: AreaReport[] } {
  const kecamatan = new Map<string, Area>();
  const kabupaten = new Map<string, Area>();
  const add = (areas: Map<string, Area>, code: string, name: string, parentCode: string | null, tally: Tally) => {
    let area = areas.get(code);
    if (area === undefined) {
      area = { code, name, parentCode, tally: emptyTally(days) };
      areas.set(code, area);
    }
    mergeTally(area.tally, tally);
  };
  for (const { record, tally } of sites) {
    if (record === null) continue;
    add(kecamatan, record.kecamatanCode, record.kecamatan, record.kabupatenCode, tally);
    add(kabupaten, record.kabupatenCode, record.kabupaten, null, tally);
  }
  const reports = (level: AreaReport['level'], areas: Map<string, Area>): AreaReport[] =>
    [...areas.values()]
      .sort((a, b) => a.code.localeCompare(b.code))
      .map((a) => ({ level, code: a.code, name: a.name, parentCode: a.parentCode, figures: figuresOf(a.tally) }));
  return { kecamatan: reports('kecamatan', kecamatan), kabupaten: reports('kabupaten', kabupaten) };
}
