import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CSV_COLUMNS, openSqliteStore, type SiteRecord } from '@pantau/collector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillReportFixture, REPORT_SITES } from '../contract/report-fixture.js';
import { COLLECTOR_MAIN, runBin } from '../helpers/bins.js';
import { tempDirs } from '../helpers/temp-dirs.js';

const dirs = tempDirs();
let dir: string;
let db: string;
let sites: string;

/** The registry as `sites import` reads it. */
function sitesCsv(records: readonly SiteRecord[]): string {
  const fields = Object.keys(CSV_COLUMNS) as (keyof SiteRecord)[];
  const lines = records.map((r) => fields.map((f) => (r[f] === null ? '' : String(r[f]))).join(','));
  return `${fields.map((f) => CSV_COLUMNS[f]).join(',')}\n${lines.join('\n')}\n`;
}

async function pdfTool(tool: 'pdftotext' | 'pdfinfo', args: readonly string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(tool, [...args], { maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

beforeAll(async () => {
  dir = dirs.make('report-cli');
  db = join(dir, 'pantau.sqlite');
  sites = join(dir, 'sites.csv');
  const store = openSqliteStore(db);
  await fillReportFixture(store);
  await store.close();
  await writeFile(sites, sitesCsv(REPORT_SITES));
}, 60_000);
afterAll(() => dirs.removeAll());

const range = ['--from', '2026-11-23', '--to', '2026-11-24'];

describe('pantau-collector report and export', () => {
  it('prints a PDF through the system Chromium with the figures and the Indonesian texts', async () => {
    const out = join(dir, 'laporan.pdf');
    const run = await runBin(
      COLLECTOR_MAIN,
      ['report', ...range, '--format', 'pdf', '--lang', 'id', '--out', out, '--db', db, '--sites', sites],
      { timeoutMs: 400_000 },
    );
    expect(run.stderr).toContain(`written to ${out}`);
    expect(run.code).toBe(0);
    const pdf = await readFile(out);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-8).toString('latin1')).toContain('%%EOF');
    const info = await pdfTool('pdfinfo', [out]);
    expect(info).toMatch(/Page size:\s+841\.\d+ x 59\d\.\d+ pts \(A4\)/);
    const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
    expect(pages).toBeGreaterThanOrEqual(2);
    const text = await pdfTool('pdftotext', ['-layout', out, '-']);
    expect(text).toContain('Internet desa: ketersediaan dan pemakaian, 2026-11-23 sampai 2026-11-24');
    expect(text).toContain('SDN 001 Sangatta');
    expect(text).toContain('Muara Ancalong');
    expect(text).toContain('Jarang dipakai karena offline');
  }, 420_000);

  it('writes CSV for a kabupaten, and refuses a bad range with a clear message', async () => {
    const out = join(dir, 'kutim.csv');
    const ok = await runBin(COLLECTOR_MAIN, [
      'report',
      ...range,
      '--format',
      'csv',
      '--kabupaten',
      '64.08',
      '--out',
      out,
      '--db',
      db,
      '--sites',
      sites,
    ]);
    expect(ok.code).toBe(0);
    const csv = await readFile(out, 'utf8');
    expect(csv.split('\r\n')[0]).toMatch(/^level,code,name,kabupaten_code,/);
    expect(csv).toContain('site,64.08.05.2001,SDN 001 Sangatta,64.08,64.08.05,kutim-a,yes,availability');
    expect(csv).not.toContain('stray');
    const bad = await runBin(COLLECTOR_MAIN, ['report', '--from', '2026-11-30', '--to', '2026-11-01', '--db', db]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--to 2026-11-01 is before --from 2026-11-30 (report_range_invalid)');
  }, 60_000);

  it('exports open data: a CSV and its metadata, ready to publish', async () => {
    const run = await runBin(COLLECTOR_MAIN, ['export', ...range, '--out', dir, '--db', db, '--sites', sites]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('4 site-days written');
    const csv = await readFile(join(dir, 'pantau-open-data-2026-11-23-2026-11-24.csv'), 'utf8');
    const metadata = JSON.parse(await readFile(join(dir, 'pantau-open-data-2026-11-23-2026-11-24.json'), 'utf8'));
    expect(csv.split('\r\n')[0]?.split(',')).toEqual(metadata.columns.map((c: { name: string }) => c.name));
    expect(metadata.period).toEqual({ from: '2026-11-23', to: '2026-11-24', timeZone: 'Asia/Makassar' });
    expect(metadata.licence.id).toBe('CC-BY-4.0');
  }, 60_000);
});
