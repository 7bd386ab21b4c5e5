import { cellText, FIGURE_COLUMNS } from './columns.js';
import type { PlannerReport, ReportFigures } from './types.js';

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvLine(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

const HEAD = [
  'level',
  'code',
  'name',
  'kabupaten_code',
  'kecamatan_code',
  'site_id',
  'registered',
  'underused',
  'underused_detail',
  'availability_source',
  'latency_role',
] as const;

/**
 * One table, one row per site, kecamatan, kabupaten and the total (`level`), with stable column
 * names in either language (docs/reports.md lists them). Heatmaps are in the JSON and HTML forms.
 */
export function toCsv(report: PlannerReport): string {
  const rows: string[] = [csvLine([...HEAD, ...FIGURE_COLUMNS.map((c) => c.id)])];
  const figures = (f: ReportFigures) => FIGURE_COLUMNS.map((c) => cellText(c.value(f)));
  const source = report.sites[0]?.availabilitySource ?? '';
  rows.push(
    csvLine([
      'total',
      '',
      '',
      report.filters.kabupatenCode ?? '',
      '',
      '',
      '',
      '',
      '',
      source,
      '',
      ...figures(report.total),
    ]),
  );
  for (const a of [...report.kabupaten, ...report.kecamatan]) {
    const kabupatenCode = a.level === 'kabupaten' ? a.code : (a.parentCode ?? '');
    const kecamatanCode = a.level === 'kecamatan' ? a.code : '';
    rows.push(
      csvLine([
        a.level,
        a.code,
        a.name,
        kabupatenCode,
        kecamatanCode,
        '',
        '',
        '',
        '',
        source,
        '',
        ...figures(a.figures),
      ]),
    );
  }
  for (const s of report.sites) {
    rows.push(
      csvLine([
        'site',
        s.desaCode ?? '',
        s.name ?? '',
        s.kabupatenCode ?? '',
        s.kecamatanCode ?? '',
        s.siteId,
        s.registered ? 'yes' : 'no',
        s.underused?.kind ?? '',
        s.underused?.detail ?? '',
        s.availabilitySource,
        s.latencyRole ?? '',
        ...figures(s.figures),
      ]),
    );
  }
  return rows.join('');
}
