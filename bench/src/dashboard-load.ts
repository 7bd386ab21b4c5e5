import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { dashboardAssetDir } from '@pantau/collector';
import { startDashboardDemo } from './dashboard-demo.js';
import { measureDashboardFirstLoad } from './dashboard-first-load.js';

/**
 * `pnpm bench:dashboard-load`: the dashboard's first load over a 2 Mbit/s link, served by the
 * collector's HTTP app over a simulated fleet (bench/src/dashboard-demo.ts). Prints the figures, then one JSON line.
 * Options: --sites N (default 300), --runs N (3), --kbit N (2000), --chromium PATH.
 */
const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
};
const sites = Number(arg('sites', '300'));
const runs = Number(arg('runs', '3'));
const kbit = Number(arg('kbit', '2000'));
const chromiumPath = arg('chromium', '/usr/bin/chromium');

const assetDir = dashboardAssetDir();
const server = await startDashboardDemo({ dashboardDir: assetDir, sites, days: 1, mode: 'demo' });
const profile = mkdtempSync(join(tmpdir(), 'pantau-dashboard-load-'));
try {
  const figures = await measureDashboardFirstLoad({
    baseUrl: server.url,
    assetDir,
    chromiumPath,
    userDataDir: profile,
    downloadKbitPerS: kbit,
    uploadKbitPerS: kbit,
    runs,
  });
  const load = loadavg().map((v) => v.toFixed(2));
  for (const f of figures.bundle.files)
    console.log(
      `${f.name.padEnd(28)} ${String(f.rawBytes).padStart(8)} B raw ${String(f.gzipBytes).padStart(7)} B gzip`,
    );
  console.log(
    `bundle total                 ${String(figures.bundle.rawBytes).padStart(8)} B raw ${String(figures.bundle.gzipBytes).padStart(7)} B gzip`,
  );
  console.log(
    `link ${kbit} kbit/s, ${figures.link.latencyMs} ms latency; fleet ${sites} sites; ${runs} cold loads; load average ${load.join(' ')}`,
  );
  console.log(
    `first contentful paint ${figures.firstContentfulPaintMs} ms; overview drawn ${figures.firstRenderMs} ms (runs: ${figures.firstRenderMsByRun.join(', ')})`,
  );
  console.log(
    `transferred ${figures.transferredBytes.total} B (assets ${figures.transferredBytes.assets} B, API ${figures.transferredBytes.api} B)`,
  );
  // The floor: the gzipped bundle alone at the link's rate, with no API answer and no latency.
  const floorMs = Math.round((figures.bundle.gzipBytes * 8) / kbit);
  const rawFloorMs = Math.round((figures.bundle.rawBytes * 8) / kbit);
  console.log(`floor: bundle at link rate ${floorMs} ms gzipped, ${rawFloorMs} ms raw`);
  console.log(
    JSON.stringify({
      bench: 'dashboard-first-load',
      sites,
      ...figures,
      floorGzipMs: floorMs,
      floorRawMs: rawFloorMs,
      loadAverage: load,
    }),
  );
} finally {
  await server.close();
  rmSync(profile, { recursive: true, force: true });
}
