import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  buildReport,
  createMemoryRegistry,
  defaultHealthConfig,
  histogramOf,
  openPostgresStore,
  openSqliteStore,
  type PlannerReport,
  type ReportStore,
  ROLLUP_COLUMNS,
  type Rollup,
  reportRange,
  rollupValues,
  type SiteRecord,
  toCsv,
  toHtml,
  toPdf,
} from '@pantau/collector';
import { MS_PER_DAY, MS_PER_HOUR } from '@pantau/shared';
import Database from 'better-sqlite3';
import pg from 'pg';
import { registeredFleet } from './fleet.js';
import { seeded } from './seeded.js';
import { startPostgres } from './servers.js';

/**
 * The planner report over a month for a fleet (issue 15: 30 days, 1,000 sites, <= 5 s on SQLite
 * and on PostgreSQL). Each store is filled with a month of hourly and daily roll-ups written
 * straight into its rollups table (what the collector's roll-up job writes from samples), then the
 * report is built from the store and rendered as HTML and CSV, several times.
 */
const { values } = parseArgs({
  options: {
    sites: { type: 'string', default: '1000' },
    runs: { type: 'string', default: '3' },
    'skip-pg': { type: 'boolean', default: false },
    'skip-sqlite': { type: 'boolean', default: false },
    pdf: { type: 'boolean', default: false },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
  },
});
const SITES = Number(values.sites);
const RUNS = Number(values.runs);
const TARGET_MS = 5000;
const range = (() => {
  const r = reportRange('2026-11-01', '2026-11-30', 'Asia/Makassar');
  if (!r.ok) throw new Error(r.message);
  return r.value;
})();

/** A month of one site's hours (with outages, school-hour use, a nightly speed test) and its days. */
function siteRollups(siteId: string, random: () => number): Rollup[] {
  const rows: Rollup[] = [];
  const outageEvery = 50 + Math.floor(random() * 400);
  let day: Rollup | null = null;
  for (let ms = range.fromMs - MS_PER_HOUR * 8; ms < range.toMs; ms += MS_PER_HOUR) {
    const localHour = (new Date(ms).getUTCHours() + 8) % 24;
    const online = Math.floor(ms / MS_PER_HOUR) % outageEvery < 3 ? 0 : 60;
    const dayMs = Math.floor(ms / MS_PER_DAY) * MS_PER_DAY;
    if (day === null || day.bucketMs !== dayMs) {
      if (day !== null) rows.push(day);
      day = { ...emptyRollup(siteId, 'day', dayMs) };
    }
    if (online === 0) continue;
    const busy = localHour >= 8 && localHour < 17 ? random() : random() * 0.2;
    const rtts = Array.from({ length: 12 }, () => 30 + random() * 40 + (random() < 0.05 ? 400 : 0));
    rtts.sort((a, b) => a - b);
    const hour: Rollup = {
      ...emptyRollup(siteId, 'hour', ms),
      samples: 60,
      onlineMinutes: 60,
      activeMinutes: Math.round(60 * busy),
      rxBytes: Math.round(busy * 4e8) + 1e6,
      txBytes: Math.round(busy * 6e7) + 1e6,
      clientRxBytes: Math.round(busy * 4e8),
      clientTxBytes: Math.round(busy * 6e7),
      latency: { internet: { p50Ms: rtts[6] ?? 0, p95Ms: rtts[11] ?? 0, samples: 12 } },
      latencyHistogram: { internet: histogramOf(rtts) },
      throughput: localHour === 2 ? [{ atMs: ms + 60_000, downBitsPerSec: 2e7 * random(), upBitsPerSec: 4e6 }] : [],
      batteryMinVolts: localHour < 6 ? 11.4 + random() : 12.4,
      batteryMaxVolts: 13.6,
      clientsMax: Math.round(busy * 30),
      received: 60,
      expected: 60,
    };
    rows.push(hour);
    day = {
      ...day,
      samples: day.samples + 60,
      onlineMinutes: day.onlineMinutes + 60,
      activeMinutes: day.activeMinutes + hour.activeMinutes,
      clientRxBytes: day.clientRxBytes + hour.clientRxBytes,
      clientTxBytes: day.clientTxBytes + hour.clientTxBytes,
      received: day.received + 60,
      expected: day.expected + 60,
    };
  }
  if (day !== null) rows.push(day);
  return rows;
}

function emptyRollup(siteId: string, grain: Rollup['grain'], bucketMs: number): Rollup {
  return {
    siteId,
    grain,
    bucketMs,
    samples: 0,
    onlineMinutes: 0,
    activeMinutes: 0,
    rxBytes: 0,
    txBytes: 0,
    clientRxBytes: 0,
    clientTxBytes: 0,
    latency: {},
    latencyHistogram: {},
    throughput: [],
    batteryMinVolts: null,
    batteryMaxVolts: null,
    clientsMax: null,
    received: 0,
    expected: 0,
  };
}

function* allRollups(sites: readonly SiteRecord[]): Generator<Rollup[]> {
  const random = seeded(15);
  for (const s of sites) yield siteRollups(s.siteId, random);
}

const COLUMNS = ROLLUP_COLUMNS.split(',').map((c) => c.trim());

function fillSqlite(path: string, sites: readonly SiteRecord[]): number {
  const db = new Database(path);
  const insert = db.prepare(`INSERT INTO rollups (${ROLLUP_COLUMNS}) VALUES (${COLUMNS.map(() => '?').join(', ')})`);
  let n = 0;
  db.transaction(() => {
    for (const rows of allRollups(sites)) {
      for (const r of rows) insert.run(rollupValues(r));
      n += rows.length;
    }
  })();
  db.close();
  return n;
}

async function fillPostgres(url: string, sites: readonly SiteRecord[]): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let n = 0;
  try {
    for (const rows of allRollups(sites)) {
      for (let i = 0; i < rows.length; i += 1000) {
        const chunk = rows.slice(i, i + 1000);
        const params: unknown[] = [];
        const tuples = chunk.map((r) => {
          const values = rollupValues(r);
          const at = params.length;
          params.push(...values);
          return `(${values.map((_, k) => `$${at + k + 1}`).join(', ')})`;
        });
        await client.query(`INSERT INTO rollups (${ROLLUP_COLUMNS}) VALUES ${tuples.join(', ')}`, params);
      }
      n += rows.length;
    }
    await client.query('ANALYZE rollups');
  } finally {
    await client.end();
  }
  return n;
}

interface Timing {
  /** This process's CPU time for the build (both threads' work is in this process for SQLite). */
  buildCpuMs: number;
  buildMs: number;
  htmlMs: number;
  csvMs: number;
  totalMs: number;
}

async function timeReports(
  store: ReportStore,
  sites: readonly SiteRecord[],
): Promise<{ runs: Timing[]; report: PlannerReport }> {
  const runs: Timing[] = [];
  let report: PlannerReport | null = null;
  for (let i = 0; i < RUNS; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    report = await buildReport(
      range,
      {},
      {
        rollups: store,
        registry: createMemoryRegistry(sites),
        history: null,
        health: defaultHealthConfig(),
        nowMs: range.toMs + MS_PER_DAY,
      },
    );
    const t1 = performance.now();
    const cpu = process.cpuUsage(c0);
    toHtml(report, 'id');
    const t2 = performance.now();
    toCsv(report);
    const t3 = performance.now();
    runs.push({
      buildCpuMs: (cpu.user + cpu.system) / 1000,
      buildMs: t1 - t0,
      htmlMs: t2 - t1,
      csvMs: t3 - t2,
      totalMs: t3 - t0,
    });
  }
  if (report === null) throw new Error('no run');
  return { runs, report };
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const summary = (runs: readonly Timing[]) => ({
  buildCpuMs: Math.round(median(runs.map((r) => r.buildCpuMs))),
  buildMs: Math.round(median(runs.map((r) => r.buildMs))),
  htmlMs: Math.round(median(runs.map((r) => r.htmlMs))),
  csvMs: Math.round(median(runs.map((r) => r.csvMs))),
  totalMs: Math.round(median(runs.map((r) => r.totalMs))),
  worstTotalMs: Math.round(Math.max(...runs.map((r) => r.totalMs))),
});

const seconds = (fromMs: number) => ((performance.now() - fromMs) / 1000).toFixed(1);

function timingText(t: ReturnType<typeof summary>): string {
  return (
    `build ${t.buildMs} ms (${t.buildCpuMs} ms CPU), HTML ${t.htmlMs} ms, CSV ${t.csvMs} ms; ` +
    `total ${t.totalMs} ms (median of ${RUNS}), worst ${t.worstTotalMs} ms`
  );
}

async function main(): Promise<void> {
  const sites = registeredFleet(SITES, seeded(11));
  const dir = mkdtempSync(join(tmpdir(), 'pantau-bench-report-'));
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const result: Record<string, unknown> = {
    bench: 'report',
    sites: SITES,
    days: range.days,
    runs: RUNS,
    targetMs: TARGET_MS,
  };
  let met = true;
  try {
    if (!values['skip-sqlite']) {
      const path = join(dir, 'pantau.sqlite');
      (await openSqliteStore(path)).close();
      const t0 = performance.now();
      const rows = fillSqlite(path, sites);
      out(`SQLite: ${rows.toLocaleString('en')} roll-up rows (hourly and daily) written in ${seconds(t0)} s`);
      const sqlite = openSqliteStore(path);
      const { runs, report } = await timeReports(sqlite, sites);
      const s = summary(runs);
      met &&= s.worstTotalMs <= TARGET_MS;
      out(`SQLite: report of ${report.sites.length} sites over ${range.days} days: ${timingText(s)}`);
      result.rollupRows = rows;
      result.sqlite = s;
      if (values.pdf) {
        const p0 = performance.now();
        const pdf = await toPdf(toHtml(report, 'id'), { executablePath: values.chromium, timeoutMs: 600_000 });
        result.pdfMs = Math.round(performance.now() - p0);
        result.pdfBytes = pdf.byteLength;
        out(
          `PDF of that report (${report.sites.length} sites, heatmaps included): ${result.pdfMs} ms, ` +
            `${pdf.byteLength} bytes`,
        );
      }
      await sqlite.close();
    }
    if (!values['skip-pg']) {
      const server = await startPostgres();
      try {
        const setup = await openPostgresStore({ connectionString: server.url });
        await setup.close();
        const p0 = performance.now();
        const pgRows = await fillPostgres(server.url, sites);
        out(`PostgreSQL: ${pgRows.toLocaleString('en')} roll-up rows written in ${seconds(p0)} s`);
        const store = await openPostgresStore({ connectionString: server.url });
        const pgRuns = await timeReports(store, sites);
        await store.close();
        const p = summary(pgRuns.runs);
        met &&= p.worstTotalMs <= TARGET_MS;
        out(`PostgreSQL (CPU: this process only, the server's not counted): ${timingText(p)}`);
        result.postgres = p;
      } finally {
        await server.stop();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const load = loadavg()[0]?.toFixed(1);
  out(
    `target <= ${TARGET_MS} ms a report (build + HTML + CSV, worst run): ${met ? 'MET' : 'NOT MET'} ` +
      `(load average ${load} on ${cpus().length} cores: wall times stretch with it)`,
  );
  result.loadAverage = Number(load);
  result.met = met;
  out(JSON.stringify(result));
}

await main();
