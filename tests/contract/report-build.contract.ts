import {
  buildOpenDataExport,
  buildReport,
  buildReportFromHours,
  createMemoryHealthStore,
  defaultHealthConfig,
  newNocState,
  type PlannerReport,
  type ReportDeps,
  reportRange,
  reportsConfigSchema,
  type Store,
  type Transition,
} from '@pantau/collector';
import { MS_PER_DAY, MS_PER_HOUR } from '@pantau/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY0, fillReportFixture, reportRegistry } from './report-fixture.js';

const H = MS_PER_HOUR;

function range() {
  const r = reportRange('2026-11-23', '2026-11-24', 'UTC');
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

/** Within half a latency bucket (docs/reports.md): 2.5 %. */
function nearMs(actual: number | null, exact: number): void {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual as number) - exact) / exact).toBeLessThanOrEqual(0.025);
}

/**
 * The planner report and the open-data export built from a store's roll-ups, against figures
 * worked out by hand from the fixture (report-fixture.ts). Run against SQLite and PostgreSQL.
 */
export function reportBuildContract(name: string, open: () => Promise<Store>): void {
  describe(`planner report from roll-ups: ${name}`, () => {
    let store: Store;
    let deps: ReportDeps;
    beforeAll(async () => {
      store = await open();
      await fillReportFixture(store);
      deps = {
        rollups: store,
        registry: reportRegistry(),
        history: null,
        health: defaultHealthConfig(),
        nowMs: DAY0 + 3 * MS_PER_DAY,
      };
    }, 120_000);
    afterAll(async () => {
      await store?.close();
    });

    it('gives each site its figures, downtime being the minutes nothing was heard', async () => {
      const report = await buildReport(range(), {}, deps);
      expect(report.sites.map((s) => [s.siteId, s.registered])).toEqual([
        ['kutim-a', true],
        ['kutim-b', true],
        ['stray', false],
      ]);
      const a = report.sites[0];
      // 71 minutes online of 2,880: 2,809 minutes down.
      expect(a?.figures).toMatchObject({
        sites: 1,
        availabilityPct: 2.47,
        downtimeHours: 46.8,
        downtimeHoursByCause: { unclassified: 46.8, power: 0 },
        clientDownGb: 0.06,
        clientUpGb: 0.012,
        activeHoursPerDay: 0.5,
        peakClients: 5,
        throughputTests: 1,
        throughputDownMbps: 20,
        throughputUpMbps: 5,
        lowBatteryNights: 1,
        completenessPct: 88.8,
        underusedAdoption: 0,
        underusedAvailability: 1,
      });
      // 70 round trips: 57 of 40 ms, 10 of 50, 3 of 200.
      nearMs(a?.figures.latencyP50Ms ?? null, 40);
      nearMs(a?.figures.latencyP95Ms ?? null, 50);
      expect(a).toMatchObject({ latencyRole: 'internet', batteryWarnVolts: 11.96, availabilitySource: 'rollups' });
      expect(a?.underused).toEqual({ kind: 'availability', detail: 'mostly_offline' });
      expect(report.sites[1]?.figures).toMatchObject({
        availabilityPct: 100,
        downtimeHours: 0,
        clientDownGb: 0.029,
        activeHoursPerDay: 0,
        peakClients: 1,
        latencyP50Ms: null,
        throughputTests: 0,
        throughputDownMbps: null,
        lowBatteryNights: null,
        completenessPct: 100,
      });
      expect(report.sites[1]?.underused).toEqual({ kind: 'adoption', detail: 'low_traffic' });
    });

    it('rolls sites up per kecamatan and kabupaten, and ranks the two kinds of underused apart', async () => {
      const report = await buildReport(range(), { kabupatenCode: '64.08' }, deps);
      expect(report.sites.map((s) => s.siteId)).toEqual(['kutim-a', 'kutim-b']);
      expect(report.kecamatan.map((k) => [k.code, k.name, k.parentCode, k.figures.sites])).toEqual([
        ['64.08.01', 'Muara Ancalong', '64.08', 1],
        ['64.08.05', 'Sangatta Utara', '64.08', 1],
      ]);
      const [kutim] = report.kabupaten;
      // 2,809 minutes down of 5,760; 2,951 samples of 2,960 expected.
      expect(kutim?.figures).toMatchObject({
        sites: 2,
        availabilityPct: 51.23,
        downtimeHours: 46.8,
        clientDownGb: 0.089,
        activeHoursPerDay: 0.25,
        peakClients: 5,
        lowBatteryNights: 1,
        completenessPct: 99.7,
        underusedAdoption: 1,
        underusedAvailability: 1,
      });
      expect(report.total).toEqual(kutim?.figures);
      expect(report.underused.adoption.map((u) => [u.siteId, u.detail, u.clientMbPerOnlineHour])).toEqual([
        ['kutim-b', 'low_traffic', 0.6],
      ]);
      expect(report.underused.availability.map((u) => [u.siteId, u.detail, u.onlinePct])).toEqual([
        ['kutim-a', 'mostly_offline', 2.5],
      ]);
    });

    it("ends a decommissioned site's period at its decommission: no downtime after it, not judged underused", async () => {
      const registry = reportRegistry();
      // Monday 21:00, after kutim-a's quiet minutes from 20:00; Tuesday's sample comes after it.
      await registry.decommission('kutim-a', DAY0 + 21 * H);
      const report = await buildReport(range(), {}, { ...deps, registry });
      expect(await buildReportFromHours(range(), {}, { ...deps, registry })).toEqual(report);
      const a = report.sites[0];
      expect(a).toMatchObject({
        siteId: 'kutim-a',
        registered: true,
        decommissionedMs: DAY0 + 21 * H,
        underused: null,
      });
      // 70 minutes online of the 1,260 it was in service: 1,190 minutes down, none after 21:00.
      expect(a?.figures).toMatchObject({
        availabilityPct: 5.56,
        downtimeHours: 19.8,
        underusedAdoption: 0,
        underusedAvailability: 0,
      });
      expect(report.underused.availability.map((u) => u.siteId)).toEqual(['stray']);
      expect(report.sites[1]).toMatchObject({ siteId: 'kutim-b', decommissionedMs: null });

      // Decommissioned before the range: listed, with nothing counted for it (not offline, not unused).
      const before = reportRegistry();
      await before.decommission('kutim-a', DAY0 - 24 * H);
      const gone = (await buildReport(range(), {}, { ...deps, registry: before })).sites[0];
      expect(gone).toMatchObject({ siteId: 'kutim-a', decommissionedMs: DAY0 - 24 * H, underused: null });
      expect(gone?.figures).toMatchObject({ availabilityPct: null, downtimeHours: 0, clientDownGb: 0 });
    });

    it('draws the use heatmap by local hour and day of week', async () => {
      const report = await buildReport(range(), {}, deps);
      const heat = report.sites[0]?.heatmap as PlannerReport['sites'][number]['heatmap'];
      // Monday 10:00 was active every minute; Monday 20:00 was quiet; Wednesday is not in the range.
      expect(heat[0]?.[10]).toBe(100);
      expect(heat[0]?.[20]).toBe(0);
      expect(heat[1]?.[10]).toBe(0);
      expect(heat[2]?.[10]).toBeNull();
      const inMakassar = reportRange('2026-11-23', '2026-11-24', 'Asia/Makassar');
      if (!inMakassar.ok) throw new Error(inMakassar.message);
      const local = await buildReport(inMakassar.value, {}, deps);
      // 10:00 UTC is 18:00 WITA.
      expect(local.sites[0]?.heatmap[0]?.[18]).toBe(100);
    });

    it('splits downtime by the health history, with revised causes and outages still open', async () => {
      const health = createMemoryHealthStore();
      const line = (t: Partial<Transition> & Pick<Transition, 'event' | 'atMs' | 'sinceMs' | 'cause'>): Transition => ({
        siteId: 'kutim-a',
        kind: 'offline',
        detail: t.cause,
        previousCause: null,
        previousDetail: null,
        episodeId: null,
        ...t,
      });
      await health.commit({
        sites: [],
        noc: newNocState(DAY0),
        alerts: [],
        incidents: [],
        outbox: [],
        savedAtMs: DAY0,
        transitions: [
          // Monday 11:00 to 20:00: first unknown, revised to power after it ended.
          line({ event: 'began', atMs: DAY0 + 11 * H, sinceMs: DAY0 + 11 * H, cause: 'unknown' }),
          line({ event: 'ended', atMs: DAY0 + 20 * H, sinceMs: DAY0 + 11 * H, cause: 'unknown' }),
          line({ event: 'cause_revised', atMs: DAY0 + 21 * H, sinceMs: DAY0 + 11 * H, cause: 'power' }),
          // Tuesday 04:00, still offline.
          line({ event: 'began', atMs: DAY0 + 28 * H, sinceMs: DAY0 + 28 * H, cause: 'link' }),
          // Began before the range, ended inside it: 2 hours count.
          line({ event: 'ended', atMs: DAY0 + 2 * H, sinceMs: DAY0 - 5 * H, cause: 'terminal' }),
        ],
      });
      const report = await buildReport(range(), {}, { ...deps, history: health });
      const a = report.sites[0];
      expect(a?.availabilitySource).toBe('health_history');
      // 9 h power, 20 h link (to the end of the range), 2 h terminal: 31 h of 48.
      expect(a?.figures.downtimeHoursByCause).toEqual({
        power: 9,
        link: 20,
        terminal: 2,
        agent: 0,
        planned: 0,
        unknown: 0,
        unclassified: 0,
      });
      expect(a?.figures.availabilityPct).toBe(35.42);
      expect(report.sites[1]?.figures.availabilityPct).toBe(100);
    });

    it('exports per-site daily availability and use with region codes and a data dictionary', async () => {
      const data = await buildOpenDataExport(range(), deps, reportsConfigSchema.parse({}).openData);
      const [head, ...rows] = data.csv.trimEnd().split('\r\n');
      const columns = (head ?? '').split(',');
      expect(data.metadata.columns.map((c) => c.name)).toEqual(columns);
      expect(data.metadata).toMatchObject({
        licence: { id: 'CC-BY-4.0' },
        period: { from: '2026-11-23', to: '2026-11-24', timeZone: 'UTC' },
        file: { name: 'pantau-open-data-2026-11-23-2026-11-24.csv', rows: 4 },
      });
      for (const c of data.metadata.columns)
        expect([c.name, c.description.en, c.description.id].every(Boolean)).toBe(true);
      const table = rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [columns[i], v])));
      expect(table.map((r) => [r.date, r.site_id, r.kabupaten_code, r.kecamatan_code, r.desa_code])).toEqual([
        ['2026-11-23', 'kutim-a', '64.08', '64.08.05', '64.08.05.2001'],
        ['2026-11-24', 'kutim-a', '64.08', '64.08.05', '64.08.05.2001'],
        ['2026-11-23', 'kutim-b', '64.08', '64.08.01', '64.08.01.2003'],
        ['2026-11-24', 'kutim-b', '64.08', '64.08.01', '64.08.01.2003'],
      ]);
      // Monday: 70 minutes online of 1,440; Tuesday: 1.
      expect(table[0]).toMatchObject({ availability_pct: '4.86', client_download_gb: '0.06', peak_clients: '5' });
      expect(table[1]).toMatchObject({ availability_pct: '0.07', client_download_gb: '0', completeness_pct: '10' });
      expect(table[2]).toMatchObject({ availability_pct: '100', province_code: '64' });
      expect(data.csv).not.toContain('stray');
    });

    it('exports a decommissioned site only up to its decommission', async () => {
      const registry = reportRegistry();
      await registry.decommission('kutim-a', DAY0 + 21 * H);
      const data = await buildOpenDataExport(range(), { ...deps, registry }, reportsConfigSchema.parse({}).openData);
      const [head, ...rows] = data.csv.trimEnd().split('\r\n');
      const columns = (head ?? '').split(',');
      const table = rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [columns[i], v])));
      expect(table.map((r) => [r.date, r.site_id])).toEqual([
        ['2026-11-23', 'kutim-a'],
        ['2026-11-23', 'kutim-b'],
        ['2026-11-24', 'kutim-b'],
      ]);
      // Monday up to 21:00: 70 minutes online of 1,260.
      expect(table[0]).toMatchObject({ availability_pct: '5.56', client_download_gb: '0.06' });
    });
  });
}
