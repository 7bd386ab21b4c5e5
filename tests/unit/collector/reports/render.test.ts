import { join } from 'node:path';
import {
  buildReport,
  csvField,
  defaultHealthConfig,
  FIGURE_COLUMNS,
  openSqliteStore,
  type PlannerReport,
  reportRange,
  type Store,
  toCsv,
  toHtml,
  toJson,
} from '@pantau/collector';
import { MS_PER_DAY } from '@pantau/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY0, fillReportFixture, reportRegistry } from '../../../contract/report-fixture.js';
import { tempDirs } from '../../../helpers/temp-dirs.js';

const dirs = tempDirs();
let store: Store;
let report: PlannerReport;

beforeAll(async () => {
  store = await openSqliteStore(join(dirs.make('render'), 'pantau.sqlite'));
  await fillReportFixture(store);
  const range = reportRange('2026-11-23', '2026-11-24', 'Asia/Makassar');
  if (!range.ok) throw new Error(range.message);
  report = await buildReport(
    range.value,
    {},
    {
      rollups: store,
      registry: reportRegistry(),
      history: null,
      health: defaultHealthConfig(),
      nowMs: DAY0 + 3 * MS_PER_DAY,
    },
  );
}, 60_000);
afterAll(async () => {
  await store?.close();
  dirs.removeAll();
});

/** CSV rows by the key the HTML uses (`level:code`, `site:<id>`, `total:`). */
function csvRows(csv: string): Map<string, Record<string, string>> {
  const [head, ...lines] = csv.trimEnd().split('\r\n');
  const columns = (head ?? '').split(',');
  const rows = new Map<string, Record<string, string>>();
  for (const line of lines) {
    // The fixture's names hold no comma or quote, so a plain split reads its fields.
    const row = Object.fromEntries(line.split(',').map((v, i) => [columns[i], v]));
    const key = row.level === 'site' ? `site:${row.site_id}` : `${row.level}:${row.code}`;
    rows.set(key, row);
  }
  return rows;
}

/** Every figure cell of the HTML: row key, column id, text. */
function htmlCells(html: string): { row: string; col: string; text: string }[] {
  const cells: { row: string; col: string; text: string }[] = [];
  for (const tr of html.matchAll(/<tr data-row="([^"]+)">(.*?)<\/tr>/gs)) {
    for (const td of (tr[2] ?? '').matchAll(/<td data-col="([^"]+)"[^>]*>([^<]*)<\/td>/g)) {
      cells.push({ row: tr[1] ?? '', col: td[1] ?? '', text: td[2] ?? '' });
    }
  }
  return cells;
}

describe('report formats', () => {
  it('shows in HTML the same numbers as in the CSV, every figure of every row', () => {
    const csv = csvRows(toCsv(report));
    for (const lang of ['en', 'id'] as const) {
      const cells = htmlCells(toHtml(report, lang));
      const seen = new Set<string>();
      for (const cell of cells) {
        const row = csv.get(cell.row);
        expect(row, cell.row).toBeDefined();
        expect([cell.row, cell.col, cell.text]).toEqual([cell.row, cell.col, row?.[cell.col] || '–']);
        seen.add(`${cell.row}/${cell.col}`);
      }
      // Every figure of every CSV row is on the page.
      for (const key of csv.keys())
        for (const c of FIGURE_COLUMNS) expect(seen.has(`${key}/${c.id}`), `${key}/${c.id}`).toBe(true);
    }
    expect(csv.get('site:kutim-a')?.availability_pct).toBe(String(report.sites[0]?.figures.availabilityPct));
    expect(csv.get('kabupaten:64.08')?.sites).toBe('2');
    expect(csv.get('total:')?.sites).toBe('3');
  });

  it('is one self-contained page: no script, no stylesheet, font or image from elsewhere', () => {
    const html = toHtml(report, 'en');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html).not.toMatch(/(src|href)=/i);
  });

  it('speaks the language asked for', () => {
    const en = toHtml(report, 'en');
    const id = toHtml(report, 'id');
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('Village internet: availability and use, 2026-11-23 to 2026-11-24');
    expect(en).toContain('Online but little used');
    expect(en).toContain('little client traffic');
    expect(id).toContain('<html lang="id">');
    expect(id).toContain('Internet desa: ketersediaan dan pemakaian, 2026-11-23 sampai 2026-11-24');
    expect(id).toContain('Jarang dipakai karena offline');
    expect(id).toContain('lalu lintas klien sedikit');
    expect(id).toContain('<th>Sen</th>');
  });

  it('escapes what a registry or a site id could smuggle into the page or the CSV', () => {
    const evil = {
      ...report,
      sites: report.sites.map((s, i) => (i === 0 ? { ...s, name: '<script>alert(1)</script>, "x"' } : s)),
    };
    expect(toHtml(evil, 'en')).not.toContain('<script>');
    expect(toCsv(evil)).toContain('"<script>alert(1)</script>, ""x"""');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('plain')).toBe('plain');
  });

  it('gives every figure and the heatmaps as JSON', () => {
    const parsed = JSON.parse(toJson(report)) as PlannerReport;
    expect(parsed.sites[0]?.heatmap).toHaveLength(7);
    expect(parsed.sites[0]?.heatmap[0]).toHaveLength(24);
    expect(parsed.total).toEqual(report.total);
  });
});
