import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  dashboardAssetDir,
  listenHttp,
  openPostgresStore,
  openSqliteStore,
  reportRange,
  type SiteRecord,
  type Store,
} from '@pantau/collector';
import { createLogger, MS_PER_DAY } from '@pantau/shared';
import { dashboardApp } from './dashboard-app.js';
import { startDashboardDemo } from './dashboard-demo.js';
import { measureDashboardFirstLoad } from './dashboard-first-load.js';
import { fillFleetState, fillPostgresDay, fillSqliteDay } from './dashboard-fleet.js';
import { registeredFleet } from './fleet.js';
import { commitHistory, fillPostgres, fillSqlite } from './report-fleet.js';
import { seeded } from './seeded.js';
import { createPgDatabase, startPostgres } from './servers.js';

/**
 * The dashboard's server side under a provincial fleet: GET /api/overview over 10,000
 * sites through a real socket, p50/p95 over a few hundred requests (target p95 <= 150 ms), and the
 * 30-day report over 1,000 sites through GET /api/report, on SQLite and PostgreSQL, and the
 * dashboard's first load in Chromium over a 2 Mbit/s link. Each part adds its figures to one result.
 */
const { values } = parseArgs({
  options: {
    sites: { type: 'string', default: '10000' },
    requests: { type: 'string', default: '200' },
    'report-sites': { type: 'string', default: '1000' },
    'skip-pg': { type: 'boolean', default: false },
    'skip-report': { type: 'boolean', default: false },
    'skip-first-load': { type: 'boolean', default: false },
    'first-load-sites': { type: 'string', default: '300' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
  },
});
const SITES = Number(values.sites);
const REQUESTS = Number(values.requests);
const REPORT_SITES = Number(values['report-sites']);
const OVERVIEW_P95_TARGET_MS = 150;
const REPORT_TARGET_MS = 5000;

const out = (line: string) => process.stdout.write(`${line}\n`);
const elapsed = (fromMs: number) => Math.round(performance.now() - fromMs);
const log = createLogger('bench-dashboard', 'warn');

/**
 * One measured part: its figures go under `name` in the last line's JSON; `met` (null: the part
 * has no target of this bench) joins the verdict.
 */
export interface BenchPart {
  readonly name: string;
  run(): Promise<{ figures: Record<string, unknown>; met: boolean | null }>;
}

/** The API as `serve` builds it (same cache settings), demo access so requests carry no login. */
const app = (store: Store, nowMs: number) => dashboardApp(store, { access: { mode: 'demo' }, nowMs: () => nowMs, log });

/** One GET over a kept-alive connection: its time to the last byte, and the body's size. */
function timedGet(agent: Agent, url: string): Promise<{ ms: number; bytes: number; status: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request(url, { agent }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => {
        bytes += c.length;
      });
      res.on('end', () => resolve({ ms: performance.now() - t0, bytes, status: res.statusCode ?? 0 }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function percentile(sorted: readonly number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round((sorted[i] ?? 0) * 10) / 10;
}

async function measureOverview(name: string, store: Store, nowMs: number) {
  const api = app(store, nowMs);
  const server = await listenHttp(api, '127.0.0.1', 0);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const cold = await timedGet(agent, `${server.url}/api/overview`);
    if (cold.status !== 200) throw new Error(`overview answered ${cold.status}`);
    const times: number[] = [];
    for (let i = 0; i < REQUESTS; i++) times.push((await timedGet(agent, `${server.url}/api/overview`)).ms);
    const filtered: number[] = [];
    for (let i = 0; i < 50; i++) {
      filtered.push((await timedGet(agent, `${server.url}/api/overview?kabupaten=64.0${1 + (i % 9)}&q=site`)).ms);
    }
    times.sort((a, b) => a - b);
    filtered.sort((a, b) => a - b);
    const figures = {
      sites: SITES,
      requests: REQUESTS,
      firstMs: Math.round(cold.ms),
      bodyBytes: cold.bytes,
      p50Ms: percentile(times, 50),
      p95Ms: percentile(times, 95),
      maxMs: percentile(times, 100),
      filteredP50Ms: percentile(filtered, 50),
      filteredP95Ms: percentile(filtered, 95),
    };
    out(
      `${name}: GET /api/overview over ${SITES} sites (${(cold.bytes / 1e6).toFixed(1)} MB): first ${figures.firstMs} ms ` +
        `(waits for the first snapshot), then p50 ${figures.p50Ms} ms, p95 ${figures.p95Ms} ms, max ${figures.maxMs} ms over ` +
        `${REQUESTS} requests; filtered (kabupaten + text) p50 ${figures.filteredP50Ms} ms, p95 ${figures.filteredP95Ms} ms`,
    );
    return { figures, met: figures.p95Ms <= OVERVIEW_P95_TARGET_MS };
  } finally {
    agent.destroy();
    await server.close();
  }
}

async function measureReport(name: string, store: Store, nowMs: number) {
  const api = app(store, nowMs);
  const server = await listenHttp(api, '127.0.0.1', 0);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const url = `${server.url}/api/report?from=2026-11-01&to=2026-11-30&format=json`;
    const first = await timedGet(agent, url);
    if (first.status !== 200) throw new Error(`report answered ${first.status}`);
    const again = await timedGet(agent, url);
    const csv = await timedGet(agent, url.replace('format=json', 'format=csv'));
    const jsonMs = Math.round(again.ms);
    const csvMs = Math.round(csv.ms);
    const figures = {
      sites: REPORT_SITES,
      days: 30,
      firstMs: Math.round(first.ms),
      jsonMs,
      csvMs,
      jsonBytes: again.bytes,
      // bench:report's target for a report, for comparison; this bench's verdict is the overview's.
      reportTargetMs: REPORT_TARGET_MS,
      withinReportTarget: Math.max(jsonMs, csvMs) <= REPORT_TARGET_MS,
    };
    out(
      `${name}: GET /api/report, 30 days x ${REPORT_SITES} sites: first ${figures.firstMs} ms (fills the daily facts), ` +
        `then JSON ${figures.jsonMs} ms (${(again.bytes / 1e6).toFixed(1)} MB), CSV ${figures.csvMs} ms`,
    );
    return { figures, met: null };
  } finally {
    agent.destroy();
    await server.close();
  }
}

const dayRange = (() => {
  const r = reportRange('2026-11-29', '2026-11-29', 'Asia/Makassar');
  if (!r.ok) throw new Error(r.message);
  return r.value;
})();
const monthRange = (() => {
  const r = reportRange('2026-11-01', '2026-11-30', 'Asia/Makassar');
  if (!r.ok) throw new Error(r.message);
  return r.value;
})();
/** The overview's "now": the end of the filled day, so its 24 hours of roll-ups are there. */
const OVERVIEW_NOW_MS = dayRange.toMs;

function parts(dir: string): BenchPart[] {
  const fleet = registeredFleet(SITES, seeded(11));
  const reportFleet: SiteRecord[] = registeredFleet(REPORT_SITES, seeded(11));
  const list: BenchPart[] = [
    {
      name: 'overviewSqlite',
      async run() {
        const path = join(dir, 'overview.sqlite');
        await openSqliteStore(path).close();
        const t0 = performance.now();
        const rows = fillSqliteDay(path, fleet, dayRange);
        const store = openSqliteStore(path);
        await fillFleetState(store, fleet, OVERVIEW_NOW_MS, seeded(3));
        out(
          `SQLite: ${SITES} sites with state, latest sample and ${rows.toLocaleString('en')} roll-ups in ${elapsed(t0)} ms`,
        );
        try {
          return await measureOverview('SQLite', store, OVERVIEW_NOW_MS);
        } finally {
          await store.close();
        }
      },
    },
  ];
  if (!values['skip-report']) {
    list.push({
      name: 'reportSqlite',
      async run() {
        const path = join(dir, 'report.sqlite');
        await openSqliteStore(path).close();
        const filled = fillSqlite(path, reportFleet, monthRange);
        const store = openSqliteStore(path);
        await store.upsert(reportFleet);
        await commitHistory(store, filled.transitions, monthRange.toMs + MS_PER_DAY);
        try {
          return await measureReport('SQLite', store, monthRange.toMs + MS_PER_DAY);
        } finally {
          await store.close();
        }
      },
    });
  }
  if (!values['skip-pg']) {
    list.push({
      name: 'postgres',
      async run() {
        const server = await startPostgres();
        try {
          const figures: Record<string, unknown> = {};
          let met = true;
          const overviewUrl = server.url;
          await (await openPostgresStore({ connectionString: overviewUrl })).close();
          const t0 = performance.now();
          const rows = await fillPostgresDay(overviewUrl, fleet, dayRange);
          const store = await openPostgresStore({ connectionString: overviewUrl });
          await fillFleetState(store, fleet, OVERVIEW_NOW_MS, seeded(3));
          out(
            `PostgreSQL: ${SITES} sites with state, latest sample and ${rows.toLocaleString('en')} roll-ups in ${elapsed(t0)} ms`,
          );
          const overview = await measureOverview('PostgreSQL', store, OVERVIEW_NOW_MS);
          figures.overview = overview.figures;
          met &&= overview.met;
          if (!values['skip-report']) {
            // The report's month in a database of its own (its sites' ids are the overview's first thousand).
            const reportUrl = await createPgDatabase(server.url, 'pantau_report');
            await (await openPostgresStore({ connectionString: reportUrl })).close();
            const filled = await fillPostgres(reportUrl, reportFleet, monthRange);
            const reportStore = await openPostgresStore({ connectionString: reportUrl });
            await reportStore.upsert(reportFleet);
            await commitHistory(reportStore, filled.transitions, monthRange.toMs + MS_PER_DAY);
            const report = await measureReport('PostgreSQL', reportStore, monthRange.toMs + MS_PER_DAY);
            await reportStore.close();
            figures.report = report.figures;
          }
          await store.close();
          return { figures, met };
        } finally {
          await server.stop();
        }
      },
    });
  }
  if (!values['skip-first-load']) list.push(firstLoadPart(dir));
  return list;
}

/** The dashboard opened cold in Chromium, served by the collector's app over a demo fleet in SQLite. */
function firstLoadPart(dir: string): BenchPart {
  return {
    name: 'firstLoad',
    async run() {
      const sites = Number(values['first-load-sites']);
      const dashboardDir = dashboardAssetDir();
      const server = await startDashboardDemo({ dashboardDir, sites, days: 1, mode: 'demo' });
      try {
        const figures = await measureDashboardFirstLoad({
          baseUrl: server.url,
          assetDir: dashboardDir,
          chromiumPath: values.chromium,
          userDataDir: join(dir, 'chromium-profile'),
        });
        out(
          `first load over ${figures.link.downloadKbitPerS} kbit/s, ${figures.link.latencyMs} ms, ${sites} sites: ` +
            `bundle ${figures.bundle.gzipBytes} B gzipped (${figures.bundle.rawBytes} B raw), first paint ` +
            `${figures.firstContentfulPaintMs} ms, overview drawn ${figures.firstRenderMs} ms (median of ` +
            `${figures.firstRenderMsByRun.join(', ')}), ${figures.transferredBytes.total} B transferred ` +
            `(API ${figures.transferredBytes.api} B)`,
        );
        const { files: _files, ...bundle } = figures.bundle;
        return { figures: { sites, ...figures, bundle }, met: null };
      } finally {
        await server.close();
      }
    },
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pantau-bench-dashboard-'));
  const result: Record<string, unknown> = { bench: 'dashboard', overviewP95TargetMs: OVERVIEW_P95_TARGET_MS };
  const load0 = loadavg()[0] ?? 0;
  let met = true;
  try {
    for (const part of parts(dir)) {
      const r = await part.run();
      result[part.name] = r.figures;
      if (r.met !== null) met &&= r.met;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const load = [load0, loadavg()[0] ?? 0].map((l) => Number(l.toFixed(1)));
  out(
    `target overview p95 <= ${OVERVIEW_P95_TARGET_MS} ms over ${SITES} sites: ${met ? 'MET' : 'NOT MET'} ` +
      `(load average ${load[0]} at start, ${load[1]} at end, on ${cpus().length} cores)`,
  );
  result.loadAverage = load;
  result.met = met;
  out(JSON.stringify(result));
}

await main();
