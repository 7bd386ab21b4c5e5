import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * What a NOC screen or a phone on a thin link pays to open the dashboard: the bytes of its bundle
 * (raw, and gzipped as a compressing server would send them) and the time until the overview has
 * drawn its sites, in headless Chromium over a link shaped by the DevTools protocol
 * (`Network.emulateNetworkConditions`). The server is the caller's (bench/src/dashboard-demo.ts serves one).
 */

/**
 * The system Chromium headless on a machine with no internet: no sandbox (root in CI), and none of
 * its background connections, which a closed network refuses many at a time.
 */
export const HEADLESS_CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface FirstLoadOptions {
  /** Where the dashboard is served (index.html at `/`). */
  readonly baseUrl: string;
  /** The built folder: index.html and assets/. */
  readonly assetDir: string;
  readonly chromiumPath: string;
  /** A fresh, empty profile folder for the browser (the caller removes it). */
  readonly userDataDir: string;
  readonly downloadKbitPerS?: number;
  readonly uploadKbitPerS?: number;
  readonly latencyMs?: number;
  /** Loads measured; the median is reported. */
  readonly runs?: number;
  readonly timeoutMs?: number;
}

export interface BundleBytes {
  readonly files: readonly { name: string; rawBytes: number; gzipBytes: number }[];
  readonly rawBytes: number;
  readonly gzipBytes: number;
}

export interface FirstLoadFigures {
  readonly bundle: BundleBytes;
  readonly link: { downloadKbitPerS: number; uploadKbitPerS: number; latencyMs: number };
  readonly runs: number;
  /** Median over the runs, from navigation start. */
  readonly firstContentfulPaintMs: number;
  readonly firstRenderMs: number;
  /** Bytes on the wire in the median run (as the server sent them), by kind. */
  readonly transferredBytes: { total: number; assets: number; api: number };
  readonly firstRenderMsByRun: readonly number[];
}

export function bundleBytes(assetDir: string): BundleBytes {
  const html = readFileSync(join(assetDir, 'index.html'), 'utf8');
  const names = [...html.matchAll(/\/assets\/([\w.-]+)/g)].map((m) => m[1] ?? '');
  const files = [
    { name: 'index.html', body: Buffer.from(html) },
    ...names.map((name) => ({ name, body: readFileSync(join(assetDir, 'assets', name)) })),
  ].map(({ name, body }) => ({ name, rawBytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length }));
  return {
    files,
    rawBytes: files.reduce((sum, f) => sum + f.rawBytes, 0),
    gzipBytes: files.reduce((sum, f) => sum + f.gzipBytes, 0),
  };
}

export async function measureDashboardFirstLoad(options: FirstLoadOptions): Promise<FirstLoadFigures> {
  const link = {
    downloadKbitPerS: options.downloadKbitPerS ?? 2000,
    uploadKbitPerS: options.uploadKbitPerS ?? 2000,
    latencyMs: options.latencyMs ?? 40,
  };
  const runs = options.runs ?? 3;
  const timeout = options.timeoutMs ?? 120_000;
  const { chromium } = await import('playwright-core');
  const context = await chromium.launchPersistentContext(options.userDataDir, {
    executablePath: options.chromiumPath,
    headless: true,
    timeout,
    args: HEADLESS_CHROMIUM_ARGS,
  });
  try {
    const results: { fcpMs: number; renderMs: number; total: number; assets: number; api: number }[] = [];
    for (let run = 0; run < runs; run += 1) {
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      // Every run starts cold, as a screen opening the dashboard for the first time.
      await cdp.send('Network.clearBrowserCache');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: link.latencyMs,
        downloadThroughput: (link.downloadKbitPerS * 1000) / 8,
        uploadThroughput: (link.uploadKbitPerS * 1000) / 8,
      });
      const urls = new Map<string, string>();
      const bytes = { total: 0, assets: 0, api: 0 };
      cdp.on('Network.responseReceived', (e) => urls.set(e.requestId, e.response.url));
      cdp.on('Network.loadingFinished', (e) => {
        const url = urls.get(e.requestId) ?? '';
        bytes.total += e.encodedDataLength;
        if (url.includes('/api/')) bytes.api += e.encodedDataLength;
        else bytes.assets += e.encodedDataLength;
      });
      await page.goto(options.baseUrl, { timeout, waitUntil: 'commit' });
      await page.waitForSelector('main[data-loaded="true"] table.sites', { timeout });
      const timing = await page.evaluate(() => ({
        fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
        render: performance.getEntriesByName('pantau:first-render')[0]?.startTime ?? Number.NaN,
      }));
      results.push({ fcpMs: timing.fcp, renderMs: timing.render, ...bytes });
      await page.close();
    }
    const byRender = [...results].sort((a, b) => a.renderMs - b.renderMs);
    const median = byRender[Math.floor(byRender.length / 2)];
    if (median === undefined) throw new Error('no run');
    const fcps = results.map((r) => r.fcpMs).sort((a, b) => a - b);
    return {
      bundle: bundleBytes(options.assetDir),
      link,
      runs,
      firstContentfulPaintMs: Math.round(fcps[Math.floor(fcps.length / 2)] ?? Number.NaN),
      firstRenderMs: Math.round(median.renderMs),
      transferredBytes: { total: median.total, assets: median.assets, api: median.api },
      firstRenderMsByRun: results.map((r) => Math.round(r.renderMs)),
    };
  } finally {
    await context.close();
  }
}
