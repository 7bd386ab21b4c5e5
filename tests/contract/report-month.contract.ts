import { offlineLine } from '@pantau/bench/report-fleet';
import {
  buildOpenDataExport,
  buildReport,
  buildReportFromHours,
  csvLine,
  defaultHealthConfig,
  newNocState,
  OPEN_DATA_COLUMNS,
  type ReportDeps,
  type ReportTimeZone,
  reportRange,
  reportsConfigSchema,
  type Store,
} from '@pantau/collector';
import { MS_PER_DAY, MS_PER_HOUR } from '@pantau/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillMonth, lateSamples, MONTH0, monthRegistry, rollUpAll } from './report-month.js';
import { batch, insert } from './store-fixtures.js';

function range(from: string, to: string, timeZone: ReportTimeZone) {
  const r = reportRange(from, to, timeZone);
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

const offline = offlineLine;

/**
 * The planner report read from the daily facts (report_days) equals the report computed from the
 * hourly roll-ups, on a generated month: whole, in two time zones, for one kabupaten, with and
 * without the health history, a month still under way, after late data rolled up again, and the
 * open-data export day by day.
 */
export function reportMonthContract(name: string, open: () => Promise<Store>): void {
  describe(`report from daily facts equals the hourly computation: ${name}`, () => {
    let store: Store;
    const deps = (nowMs: number, history: boolean): ReportDeps => ({
      rollups: store,
      registry: monthRegistry(),
      history: history ? store : null,
      health: defaultHealthConfig(),
      nowMs,
    });
    beforeAll(async () => {
      store = await open();
      await fillMonth(store, 15);
      const H = MS_PER_HOUR;
      await store.commit({
        sites: [],
        noc: newNocState(MONTH0),
        alerts: [],
        incidents: [],
        outbox: [],
        savedAtMs: MONTH0,
        transitions: [
          offline('gen-a', 'began', MONTH0 + 50 * H, MONTH0 + 50 * H, 'unknown'),
          offline('gen-a', 'ended', MONTH0 + 61 * H, MONTH0 + 50 * H, 'unknown'),
          offline('gen-a', 'cause_revised', MONTH0 + 62 * H, MONTH0 + 50 * H, 'power'),
          offline('gen-c', 'began', MONTH0 + 400 * H, MONTH0 + 400 * H, 'link'),
        ],
      });
    }, 300_000);
    afterAll(async () => {
      await store?.close();
    });

    const november = (timeZone: ReportTimeZone) => range('2026-11-01', '2026-11-30', timeZone);
    const endMs = MONTH0 + 40 * MS_PER_DAY;

    it('gives the same report, every figure, heatmap and ranking, as the hourly roll-ups', async () => {
      const month = november('Asia/Makassar');
      for (const history of [false, true]) {
        const fast = await buildReport(month, {}, deps(endMs, history));
        expect(fast).toEqual(await buildReportFromHours(month, {}, deps(endMs, history)));
        // Not an empty equality: the figures each kind of fact feeds are there.
        const a = fast.sites.find((s) => s.siteId === 'gen-a');
        expect(a?.figures.latencyP95Ms).toBeGreaterThan(0);
        expect(a?.figures.lowBatteryNights).toBeGreaterThan(0);
        expect(a?.figures.throughputTests).toBeGreaterThan(20);
        expect(a?.heatmap[2]?.[10]).toBeGreaterThan(0);
        expect(fast.sites.find((s) => s.siteId === 'gen-b')?.latencyRole).toBe('noc');
        expect(fast.sites.map((s) => s.siteId)).toEqual(['gen-a', 'gen-b', 'gen-c', 'gen-quiet', 'gen-stray']);
        expect(fast.underused.adoption.length + fast.underused.availability.length).toBeGreaterThan(0);
      }
    });

    it('gives the same in another time zone, for one kabupaten, and for a month still under way', async () => {
      const utc = november('UTC');
      expect(await buildReport(utc, {}, deps(endMs, true))).toEqual(
        await buildReportFromHours(utc, {}, deps(endMs, true)),
      );
      const wita = november('Asia/Makassar');
      const one = { kabupatenCode: '64.01' };
      expect(await buildReport(wita, one, deps(endMs, false))).toEqual(
        await buildReportFromHours(wita, one, deps(endMs, false)),
      );
      const midMonth = wita.fromMs + 12.3 * MS_PER_DAY;
      expect(await buildReport(wita, {}, deps(midMonth, true))).toEqual(
        await buildReportFromHours(wita, {}, deps(midMonth, true)),
      );
    });

    it('keeps the daily facts up to date when late samples are rolled up again', async () => {
      const month = november('Asia/Makassar');
      const before = await buildReport(month, {}, deps(endMs, true));
      for (const { siteId, samples } of lateSamples()) await insert(store, batch(siteId, samples), endMs);
      await rollUpAll(store);
      const after = await buildReport(month, {}, deps(endMs, true));
      expect(after).toEqual(await buildReportFromHours(month, {}, deps(endMs, true)));
      expect(after.sites[0]?.figures.peakClients).toBe(90);
      expect(after.sites[0]?.figures).not.toEqual(before.sites[0]?.figures);
    });

    it('exports open data whose every day equals a one-day report from the hourly roll-ups', async () => {
      const month = november('Asia/Makassar');
      const config = reportsConfigSchema.parse({}).openData;
      const exported = await buildOpenDataExport(month, deps(endMs, true), config);
      const sites = await monthRegistry().list();
      const expected = [csvLine(OPEN_DATA_COLUMNS.map((c) => c.name))];
      for (const site of [...sites].sort((x, y) => (x.siteId < y.siteId ? -1 : 1))) {
        for (let d = 0; d < month.days; d++) {
          const date = new Date(month.fromMs + d * MS_PER_DAY + 8 * MS_PER_HOUR).toISOString().slice(0, 10);
          const day = range(date, date, month.timeZone);
          const report = await buildReportFromHours(day, {}, deps(endMs, true));
          const figures = report.sites.find((s) => s.siteId === site.siteId)?.figures;
          if (figures === undefined || figures.availabilityPct === null) continue;
          expected.push(csvLine(OPEN_DATA_COLUMNS.map((c) => c.value(site, figures, date))));
        }
      }
      expect(exported.rows).toBeGreaterThan(40);
      expect(exported.csv).toBe(expected.join(''));
    });
  });
}
