import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HEADLESS_CHROMIUM_ARGS } from '@pantau/bench/dashboard-first-load';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DashboardServer, startDashboardServer } from '../helpers/dashboard-server.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import { waitFor } from '../helpers/wait.js';

/**
 * The NOC dashboard in Debian's Chromium over a simulated fleet: log in, filter, the map, a site's
 * page, acknowledging an alert, the language switch, live updates, and what a viewer may not do.
 * Screenshots are kept in tests/artifacts/dashboard/ (ignored by git) for a person to look at.
 */
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../artifacts/dashboard/', import.meta.url));
const dirs = tempDirs();
let server: DashboardServer;
let context: BrowserContext;
let page: Page;
/** Every URL the browser asked for: all must be the dashboard's own server. */
const requested: string[] = [];

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startDashboardServer();
  context = await chromium.launchPersistentContext(dirs.make('chromium-profile'), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    locale: 'en-GB',
    args: HEADLESS_CHROMIUM_ARGS,
  });
  context.setDefaultTimeout(60_000);
  context.on('request', (request) => requested.push(request.url()));
  page = context.pages()[0] ?? (await context.newPage());
});

afterAll(async () => {
  await context?.close();
  await server?.close();
  dirs.removeAll();
});

const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: false });
const siteRows = () => page.locator('table.sites tbody tr');

async function logIn(user: string, password: string): Promise<void> {
  await page.goto(`${server.url}/`);
  await page.locator('input[name="user"]').fill(user);
  await page.locator('input[name="password"]').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.locator('main[data-loaded="true"]').waitFor();
}

describe('NOC dashboard in Chromium', () => {
  it('asks for a login, then shows the fleet with the sites needing action first', async () => {
    await page.goto(`${server.url}/`);
    await expect(page.locator('.login h1').textContent()).resolves.toBe('Log in to the NOC dashboard');
    await page.locator('input[name="user"]').fill(server.admin.user);
    await page.locator('input[name="password"]').fill('wrong');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByText('Wrong user or password').waitFor();

    await logIn(server.admin.user, server.admin.password);
    const total = Number(await page.locator('.count[data-state="total"] strong').textContent());
    expect(total).toBe(server.siteCount);
    expect(await siteRows().count()).toBe(total);
    const offline = Number(await page.locator('.count[data-state="offline"] strong').textContent());
    expect(offline).toBeGreaterThan(0);
    // Sites needing action lead the list, and no such site comes after one that does not.
    const flags = await siteRows().evaluateAll((rows) => rows.map((r) => r.classList.contains('needs-action')));
    expect(flags[0]).toBe(true);
    expect(flags.indexOf(false)).toBeGreaterThan(0);
    expect(flags.slice(flags.indexOf(false)).includes(true)).toBe(false);
    await shot('overview');
  });

  it('filters by kabupaten, kecamatan, site group and search, and keeps the filters in the address', async () => {
    await page.locator('select[name="kabupaten"]').selectOption('64.01');
    await waitFor('only Paser sites', async () => {
      const areas = await siteRows().locator('td[data-label="Area"]').allTextContents();
      return areas.length > 0 && areas.every((a) => a.endsWith('Paser'));
    });
    expect(page.url()).toContain('kabupaten=64.01');
    const paser = await siteRows().count();
    expect(paser).toBeLessThan(server.siteCount);

    const kecamatan = await page.locator('select[name="kecamatan"] option').nth(1).getAttribute('value');
    expect(kecamatan).toMatch(/^64\.01\.\d\d$/);
    await page.locator('select[name="kecamatan"]').selectOption(kecamatan ?? '');
    await waitFor(
      'fewer sites in one kecamatan',
      async () => (await siteRows().count()) < paser || (await page.locator('text=No site matches').count()) > 0,
    );

    await page.locator('select[name="kabupaten"]').selectOption('');
    await page.locator('select[name="group"]').selectOption('school');
    await waitFor('only schools', async () => {
      const names = await siteRows().locator('td.site-cell a').allTextContents();
      return names.length > 0 && names.every((n) => n.startsWith('SD Negeri'));
    });
    await page.locator('select[name="group"]').selectOption('');
    const target = (await siteRows().first().locator('td.site-cell small').textContent()) ?? '';
    await page.locator('input[name="q"]').fill(target);
    await waitFor('the searched site alone', async () => {
      const ids = await siteRows().locator('td.site-cell small').allTextContents();
      return ids.length >= 1 && ids.every((id) => id.includes(target));
    });
    await page.locator('input[name="q"]').fill('');
    await waitFor('every site again', async () => (await siteRows().count()) === server.siteCount);
  });

  it('draws every site with coordinates on the map, coloured by state', async () => {
    await page.locator('a[data-nav="map"]').click();
    await page.locator('svg.map-svg').waitFor();
    // A site without coordinates (the fixture's unregistered one) is counted below the map instead.
    await waitFor(
      'a dot per site with coordinates',
      async () => (await page.locator('svg.map-svg circle.dot').count()) > 0,
    );
    const dots = await page.locator('svg.map-svg circle.dot').count();
    const note = (await page.locator('.map p', { hasText: 'no coordinates' }).textContent()) ?? '0';
    expect(dots + Number.parseInt(note, 10)).toBe(server.siteCount);
    expect(await page.locator('svg.map-svg circle.dot.st-offline').count()).toBeGreaterThan(0);
    expect(await page.locator('svg.map-svg text.area-label').allTextContents()).toEqual(
      expect.arrayContaining(['Paser', 'Kutai Timur']),
    );
    await shot('map');
  });

  it("opens a site's page: charts, the outage timeline with its causes, completeness", async () => {
    await page.locator('a[data-nav="overview"]').click();
    await page.locator('main[data-loaded="true"]').waitFor();
    const first = siteRows().first().locator('td.site-cell a');
    const name = (await first.textContent()) ?? '';
    await first.click();
    await page.locator('.site-head h1').getByText(name).waitFor();
    await waitFor('five charts', async () => (await page.locator('figure.chart').count()) === 5);
    await waitFor('uPlot drew', async () => (await page.locator('figure.chart canvas').count()) >= 1);
    expect(await page.locator('ol.timeline li').count()).toBeGreaterThan(0);
    expect(await page.locator('table.completeness tbody tr').count()).toBeGreaterThan(0);
    await page.locator('.ranges button', { hasText: '30 days' }).click();
    await waitFor('range in the address', () => page.url().includes('range=30d'));
    await shot('site');
  });

  it('acknowledges an alert as an admin', async () => {
    await page.locator('a[data-nav="alerts"]').click();
    await page.locator('main[data-loaded="true"]').waitFor();
    const row = page.locator('table.alerts tbody tr', { has: page.locator('form.ack') }).first();
    const key = (await row.getAttribute('data-alert')) ?? '';
    expect(key).toMatch(/\//);
    await row.locator('input[name="note"]').fill('genset checked by Pak Budi');
    await row.getByRole('button', { name: 'Acknowledge' }).click();
    await page.getByText('Acknowledgement sent').waitFor();
    // The API only queues the ask; the running collector's health pass applies it.
    expect(await server.store.pendingAcks()).toEqual([
      expect.objectContaining({ key, by: server.admin.user, note: 'genset checked by Pak Budi' }),
    ]);
    expect(await server.applyAcks()).toEqual([key]);
    await page.reload();
    await page.locator('main[data-loaded="true"]').waitFor();
    const acked = page.locator(`table.alerts tbody tr[data-alert="${key}"] .acked`);
    await acked.waitFor();
    expect(await acked.textContent()).toContain(server.admin.user);
    expect(await acked.textContent()).toContain('genset checked by Pak Budi');
    await shot('alerts');
  });

  it('sets a silence and a maintenance window as an admin, and ends one', async () => {
    const form = page.locator('form.new-control');
    await form.locator('select[name="type"]').selectOption('silence');
    await form.locator('select[name="scopeType"]').selectOption('kecamatanCode');
    await form.locator('input[name="scopeValue"]').fill('64.08.05');
    await form.locator('input[name="kind"][value="underused"]').check();
    await form.locator('input[name="hours"]').fill('3');
    await form.locator('input[name="comment"]').fill('survey week');
    await form.getByRole('button', { name: 'Save' }).click();
    const silence = page.locator('table.controls tbody tr', { hasText: 'survey week' });
    await silence.waitFor();
    expect(await silence.textContent()).toContain('kecamatan 64.08.05');
    expect(await silence.textContent()).toContain('underused');

    await form.locator('select[name="type"]').selectOption('maintenance');
    await form.locator('select[name="scopeType"]').selectOption('siteId');
    await form.locator('input[name="scopeValue"]').fill(server.onlineSiteId());
    await form.locator('input[name="comment"]').fill('battery swap');
    await form.getByRole('button', { name: 'Save' }).click();
    const maintenance = page.locator('table.controls tbody tr', { hasText: 'battery swap' });
    await maintenance.waitFor();
    expect(await maintenance.textContent()).toContain('maintenance');

    await silence.getByRole('button', { name: 'End now' }).click();
    await waitFor('the silence gone from those in force', async () => (await silence.count()) === 0);
    expect(await maintenance.count()).toBe(1);
  });

  it('makes a report for a range and a kabupaten, framed, with a CSV to download', async () => {
    await page.locator('a[data-nav="reports"]').click();
    await page.locator('form.report-form').waitFor();
    const { from, to } = server.reportDays;
    await page.locator('input[name="from"]').fill(from);
    await page.locator('input[name="to"]').fill(to);
    await waitFor(
      'the kabupaten listed',
      async () => (await page.locator('select[name="kabupaten"] option').count()) > 1,
    );
    await page.locator('select[name="kabupaten"]').selectOption('64.01');
    await page.getByRole('button', { name: 'Show the report' }).click();
    await waitFor(
      'range and kabupaten in the address',
      () => page.url().includes(`from=${from}`) && page.url().includes('kabupaten=64.01'),
    );
    const frame = page.frameLocator('.report-frame iframe');
    const rows = frame.locator('#sites tbody tr[data-row^="site:"]');
    await rows.first().waitFor();
    const shown = (await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-row')))).map((k) =>
      k?.slice('site:'.length),
    );
    const paser = server.records.filter((r) => r.kabupatenCode === '64.01').map((r) => r.siteId);
    expect(shown.length).toBeGreaterThan(0);
    expect(paser).toEqual(expect.arrayContaining(shown));
    await shot('reports');

    const href = (await page.locator('.report-links a[data-format="csv"]').getAttribute('href')) ?? '';
    expect(href).toContain('format=csv');
    const csv = await context.request.get(`${server.url}${href}`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\n');
    expect(lines.length).toBeGreaterThan(1);
  });

  it('switches to Bahasa Indonesia and back, every label from the catalogue', async () => {
    await page.locator('select[name="language"]').selectOption('id');
    await page.locator('a[data-nav="overview"]', { hasText: 'Ringkasan' }).waitFor();
    await page.locator('a[data-nav="overview"]').click();
    await page.locator('main[data-loaded="true"]').waitFor();
    expect(await page.locator('.count[data-state="power_at_risk"] span').textContent()).toBe('daya berisiko');
    expect(await page.locator('html').getAttribute('lang')).toBe('id');
    await shot('overview-id');
    // The choice survives a reload.
    await page.reload();
    await page.locator('a[data-nav="overview"]', { hasText: 'Ringkasan' }).waitFor();
    await page.locator('select[name="language"]').selectOption('en');
    await page.locator('a[data-nav="overview"]', { hasText: 'Overview' }).waitFor();
  });

  it('shows a state change pushed over /api/events without a reload', async () => {
    await page.locator('main[data-loaded="true"]').waitFor();
    await page.locator('.live[data-mode="sse"]').waitFor();
    const siteId = server.onlineSiteId();
    const row = page.locator(`table.sites tbody tr[data-site="${siteId}"]`);
    expect(await row.locator('.badge').textContent()).toBe('online');
    await server.setOffline(siteId);
    await waitFor('the row turns offline', async () => (await row.locator('.badge').textContent()) === 'offline');
    expect(await row.getAttribute('class')).toContain('needs-action');
  });

  it('lets a viewer look but not acknowledge, silence or plan maintenance', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.locator('.login').waitFor();
    await logIn(server.viewer.user, server.viewer.password);
    expect(await page.locator('.who').textContent()).toContain('viewer');
    await page.locator('a[data-nav="alerts"]').click();
    await page.locator('main[data-loaded="true"]').waitFor();
    expect(await page.locator('table.alerts tbody tr').count()).toBeGreaterThan(0);
    expect(await page.locator('form.ack').count()).toBe(0);
    expect(await page.locator('form.new-control').count()).toBe(0);
    await page.getByText('Only an admin may acknowledge').waitFor();
  });

  it('asked for nothing but its own server: no CDN, no font, no map tiles', () => {
    expect(requested.length).toBeGreaterThan(10);
    expect(requested.filter((url) => !url.startsWith(`${server.url}/`) && !url.startsWith('data:'))).toEqual([]);
  });

  it('fits a phone screen: sites as cards', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('a[data-nav="overview"]').click();
    await page.locator('main[data-loaded="true"]').waitFor();
    const display = await page.evaluate<string>(
      "getComputedStyle(document.querySelector('table.sites thead')).display",
    );
    expect(display).toBe('none');
    const width = await page.evaluate<number>('document.documentElement.scrollWidth');
    expect(width).toBeLessThanOrEqual(390);
    await shot('overview-phone');
    await siteRows().first().locator('td.site-cell a').click();
    await waitFor('five charts', async () => (await page.locator('figure.chart').count()) === 5);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await page.locator('a[data-nav="alerts"]').click();
    await page.locator('main[data-loaded="true"]').waitFor();
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await shot('alerts-phone');
  });
});
