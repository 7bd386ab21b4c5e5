import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore, type Store } from '@pantau/collector';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY0 } from '../../../contract/store-fixtures.js';
import { type ApiFleet, apiApp, fillApiFleet } from '../../../helpers/api-fleet.js';

const dir = mkdtempSync(join(tmpdir(), 'pantau-api-'));
let store: Store;
let fleet: ApiFleet;
let app: ReturnType<typeof apiApp>;

beforeAll(async () => {
  store = openSqliteStore(join(dir, 'pantau.sqlite'));
  fleet = await fillApiFleet(store);
  app = apiApp(store, { mode: 'demo' });
});
afterAll(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = async (url: string) => {
  const res = await app.inject({ method: 'GET', url });
  return { status: res.statusCode, headers: res.headers, body: res.body, json: () => res.json() };
};

describe('the API over a SQLite store with a small fleet (inject, no socket)', () => {
  it('gives the overview: every site, worst first, with counts, areas and 24-hour use', async () => {
    const res = await get('/api/overview');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(body.sites).toHaveLength(fleet.records.length + 1);
    expect(body.sites[0]).toMatchObject({
      siteId: fleet.offlineId,
      state: 'offline',
      needsAction: true,
      cause: 'power',
    });
    // Acknowledged: still power_at_risk, no longer needing action, so after the unacknowledged one.
    const acked = body.sites.find((s: { siteId: string }) => s.siteId === fleet.ackedId);
    expect(acked).toMatchObject({ state: 'power_at_risk', needsAction: false, kinds: ['power_at_risk'] });
    // A pending alert is not shown yet.
    expect(body.sites.find((s: { siteId: string }) => s.siteId === fleet.pendingId)).toMatchObject({ state: 'online' });
    const never = fleet.records.at(-1)?.siteId;
    expect(body.sites.at(-1)).toMatchObject({ siteId: never, state: 'unknown', lastSeenMs: null });
    expect(body.counts).toMatchObject({
      offline: 1,
      power_at_risk: 1,
      unknown: 1,
      unregistered: 1,
      total: fleet.records.length + 1,
    });
    const stray = body.sites.find((s: { siteId: string }) => s.siteId === fleet.strayId);
    expect(stray).toMatchObject({ registered: false, name: null, state: 'online' });
    const online = body.sites.find((s: { siteId: string }) => s.siteId === fleet.pendingId);
    expect(online.batteryVolts).toBeCloseTo(12.2);
    expect(online.rttMs).toBe(42);
    expect(online.clients24h).toBeGreaterThan(0);
    expect(online.down24hBytes).toBeGreaterThan(0);
    const kabupaten = new Set(fleet.records.map((r) => r.kabupatenCode));
    expect(body.areas.map((a: { kabupatenCode: string }) => a.kabupatenCode).sort()).toEqual([...kabupaten].sort());
  });

  it('narrows sites and counts alike by area, group, text and state, while areas stay whole', async () => {
    const first = fleet.records[0];
    if (first === undefined) throw new Error('no fleet');
    const byKec = (await get(`/api/overview?kecamatan=${first.kecamatanCode}`)).json();
    expect(byKec.sites.length).toBeGreaterThan(0);
    expect(byKec.sites.every((s: { kecamatanCode: string }) => s.kecamatanCode === first.kecamatanCode)).toBe(true);
    expect(byKec.counts.total).toBe(byKec.sites.length);
    const all = (await get('/api/overview')).json();
    expect(byKec.areas).toEqual(all.areas);
    const offline = (await get('/api/overview?state=offline')).json();
    expect(offline.sites.map((s: { siteId: string }) => s.siteId)).toEqual([fleet.offlineId]);
    const text = (await get(`/api/overview?q=${encodeURIComponent(first.name.toUpperCase())}`)).json();
    expect(text.sites.map((s: { siteId: string }) => s.siteId)).toContain(first.siteId);
    const unregistered = (await get('/api/overview?state=unregistered')).json();
    expect(unregistered.sites.map((s: { siteId: string }) => s.siteId)).toEqual([fleet.strayId]);
    expect((await get('/api/overview?state=sideways')).json()).toMatchObject({ error: 'bad_request' });
  });

  it("gives one site's detail: row, health, status, latest figures, alerts and history", async () => {
    const body = (await get(`/api/sites/${fleet.offlineId}`)).json();
    expect(body.site).toMatchObject({ siteId: fleet.offlineId, state: 'offline' });
    expect(body.last).toMatchObject({ seq: 18 });
    expect(body.last.batteryVolts).toBeCloseTo(12);
    expect(body.alerts).toEqual([expect.objectContaining({ key: `${fleet.offlineId}/offline`, phase: 'firing' })]);
    expect(body.history).toEqual([expect.objectContaining({ kind: 'offline', event: 'began', cause: 'power' })]);
    expect((await get('/api/sites/no-such-site')).status).toBe(404);
    expect((await get('/api/sites/NOT%20AN%20ID')).json()).toMatchObject({ error: 'bad_request' });
  });

  it("gives a site's hourly series from its roll-ups, aligned on bucket starts", async () => {
    const body = (await get(`/api/sites/${fleet.pendingId}/series?fromMs=${DAY0}&toMs=${DAY0 + 86_400_000}`)).json();
    expect(body.grain).toBe('hour');
    expect(body.t).toHaveLength(19);
    expect(body.t[1] - body.t[0]).toBe(3_600_000);
    for (const key of ['downBytes', 'upBytes', 'clientsMax', 'lossPct', 'batteryMinVolts', 'solarWatts']) {
      expect(body[key]).toHaveLength(19);
    }
    expect(body.rttMsByRole.internet[0]).toBeCloseTo(42, 0);
    expect(body.lossPct[0]).toBeNull();
    // Each hour's mean of the solar watts its samples reported (one sample an hour, 10 h W).
    expect(body.solarWatts.slice(0, 4)).toEqual([0, 10, 20, 30]);
    const daily = (
      await get(`/api/sites/${fleet.pendingId}/series?grain=day&fromMs=${DAY0}&toMs=${DAY0 + 86_400_000}`)
    ).json();
    expect(daily.t).toEqual([DAY0]);
    // The day's: the mean over its 19 samples, 0 to 180 W.
    expect(daily.solarWatts).toEqual([90]);
    expect((await get(`/api/sites/${fleet.pendingId}/series?fromMs=5&toMs=1`)).status).toBe(400);
  });

  it('gives completeness per day', async () => {
    const body = (
      await get(`/api/sites/${fleet.pendingId}/completeness?fromMs=${DAY0}&toMs=${DAY0 + 86_400_000}`)
    ).json();
    expect(body.days).toEqual([{ day: '2026-11-23', expected: 19, received: 19, missing: 0 }]);
  });

  it('lists alerts (open ones), incidents and silences', async () => {
    const alerts = (await get('/api/alerts?open=true')).json().alerts;
    expect(alerts.map((a: { key: string }) => a.key).sort()).toEqual(
      [`${fleet.offlineId}/offline`, `${fleet.ackedId}/power_at_risk`, `${fleet.pendingId}/degraded`].sort(),
    );
    expect(alerts.find((a: { siteId: string }) => a.siteId === fleet.ackedId)).toMatchObject({
      ackBy: 'dewi',
      siteName: expect.any(String),
    });
    expect((await get('/api/incidents?open=true')).json()).toEqual({ incidents: [] });
    expect((await get('/api/silences')).json()).toEqual({ silences: [], maintenance: [] });
  });

  it('gives the planner report as the report command does, in JSON and as a CSV download', async () => {
    const json = await get('/api/report?from=2026-11-23&to=2026-11-23&format=json');
    expect(json.status).toBe(200);
    expect(json.json().sites.length).toBeGreaterThan(0);
    const csv = await get('/api/report?from=2026-11-23&to=2026-11-23&format=csv');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(
      /attachment; filename="pantau-report-2026-11-23-2026-11-23.csv"/,
    );
    expect(csv.body.split('\n').length).toBeGreaterThan(2);
    expect((await get('/api/report?from=2026-11-24&to=2026-11-23')).json()).toMatchObject({ error: 'bad_request' });
    const open = await get('/api/open-data?from=2026-11-23&to=2026-11-23');
    expect(open.headers['content-type']).toMatch(/^text\/csv/);
    expect(open.body.length).toBeGreaterThan(0);
    expect((await get('/api/open-data/metadata.json?from=2026-11-23&to=2026-11-23')).json()).toBeTypeOf('object');
  });

  it('answers the health checks', async () => {
    expect((await get('/healthz')).json()).toEqual({ ok: true });
    expect((await get('/readyz')).json()).toEqual({ ok: true, store: true, input: true });
  });

  it('describes every route in an OpenAPI 3.1 document whose schemas compile', async () => {
    const doc = (await get('/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    const expected = [
      'get /api/overview',
      'get /api/sites/{siteId}',
      'get /api/sites/{siteId}/series',
      'get /api/sites/{siteId}/completeness',
      'get /api/alerts',
      'get /api/incidents',
      'get /api/silences',
      'get /api/report',
      'get /api/open-data',
      'get /api/open-data/metadata.json',
      'get /api/events',
      'post /api/alerts/ack',
      'post /api/silences',
      'post /api/maintenance',
      'post /api/controls/{id}/end',
      'post /api/login',
      'post /api/logout',
      'get /api/me',
      'get /api/audit',
      'get /healthz',
      'get /readyz',
      'get /metrics',
      'get /openapi.json',
      'get /speedtest/down',
      'post /speedtest/up',
      'get /',
    ];
    const present = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m} ${path}`),
    );
    for (const op of expected) expect(present).toContain(op);
    const ajv = new Ajv2020({ strict: false });
    let schemas = 0;
    const visit = (node: unknown, key: string) => {
      if (node === null || typeof node !== 'object') return;
      if (key === 'schema' && !('$ref' in node)) {
        ajv.compile(node as object);
        schemas++;
        return;
      }
      for (const [k, v] of Object.entries(node)) visit(v, k);
    };
    visit(doc.paths, '');
    expect(schemas).toBeGreaterThan(30);
  });

  it("serves /metrics in Prometheus' text format with per-site and collector figures", async () => {
    const res = await get('/metrics');
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const samples = new Map<string, number>();
    for (const line of res.body.split('\n')) {
      if (line === '' || line.startsWith('#')) continue;
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?) (\S+)$/.exec(line);
      expect(match, line).not.toBeNull();
      samples.set(match?.[1] ?? '', Number(match?.[2]));
    }
    expect(samples.get(`pantau_site_up{site_id="${fleet.offlineId}"}`)).toBe(0);
    expect(samples.get(`pantau_site_up{site_id="${fleet.pendingId}"}`)).toBe(1);
    expect(samples.get(`pantau_site_battery_volts{site_id="${fleet.pendingId}"}`)).toBeCloseTo(12.2);
    expect(samples.get('pantau_ingest_samples_stored_total')).toBe(40);
    expect(samples.get('pantau_ingest_rejects_total{reason="unknown_topic"}')).toBe(2);
    expect(samples.get('pantau_store_bytes')).toBe(4096);
    expect(samples.get('pantau_input_counter{name="reconnects"}')).toBe(1);
    // The earlier tests' answers, counted by route and status.
    expect(samples.get('pantau_http_responses_total{route="/api/sites/:siteId",status="404"}')).toBe(1);
    for (const name of [
      'pantau_site_last_seen_timestamp_seconds',
      'pantau_site_clients_24h',
      'pantau_store_resend_requests_total',
      'pantau_health_pending_events',
      'pantau_input_connected',
    ]) {
      expect(
        [...samples.keys()].some((k) => k.startsWith(name)),
        name,
      ).toBe(true);
    }
  });

  it('streams state changes as Server-Sent Events', async () => {
    const server = await app.listen({ host: '127.0.0.1', port: 0 });
    const controller = new AbortController();
    try {
      const res = await fetch(`${server}/api/events`, { signal: controller.signal });
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const reader = res.body?.getReader();
      if (reader === undefined) throw new Error('no body');
      let text = '';
      const readUntil = async (needle: string) => {
        while (!text.includes(needle)) {
          const { value, done } = await reader.read();
          if (done) throw new Error(`stream ended before ${needle}`);
          text += new TextDecoder().decode(value);
        }
      };
      await readUntil(': connected');
      // Give the poller its first look, then change a state.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const snapshot = await store.load();
      const pending = snapshot.alerts.find((a) => a.siteId === fleet.pendingId);
      if (pending === undefined) throw new Error('no pending alert');
      await store.commit({
        sites: [],
        noc: snapshot.noc ?? (await import('@pantau/collector')).newNocState(0),
        alerts: [{ ...pending, phase: 'firing' }],
        incidents: [],
        transitions: [],
        outbox: [],
        savedAtMs: Date.now(),
      });
      await readUntil(`"siteId":"${fleet.pendingId}"`);
      expect(text).toMatch(new RegExp(`event: state\\ndata: \\{"siteId":"${fleet.pendingId}","state":"degraded"`));
    } finally {
      controller.abort();
    }
  });

  it("serves the dashboard's files, and says so when they are not built", async () => {
    expect((await get('/')).json()).toMatchObject({ error: 'no_dashboard' });
    const built = join(dir, 'dashboard');
    mkdirSync(join(built, 'assets'), { recursive: true });
    writeFileSync(join(built, 'index.html'), '<!doctype html><title>Pantau</title>');
    writeFileSync(join(built, 'assets', 'app.js'), 'console.log(1)');
    const withFiles = apiApp(store, { mode: 'closed' }, { dashboardDir: built });
    try {
      const index = await withFiles.inject({ method: 'GET', url: '/' });
      expect(index.statusCode).toBe(200);
      expect(index.headers['content-type']).toMatch(/^text\/html/);
      const js = await withFiles.inject({ method: 'GET', url: '/assets/app.js' });
      expect(js.headers['content-type']).toMatch(/^text\/javascript/);
      expect((await withFiles.inject({ method: 'GET', url: '/assets/../../pantau.sqlite' })).statusCode).toBe(404);
      expect((await withFiles.inject({ method: 'GET', url: '/assets/none.js' })).json()).toMatchObject({
        error: 'not_found',
      });
      // A folder named with a trailing separator, as dashboardAssetDir() names it, serves the same.
      const slashed = apiApp(store, { mode: 'closed' }, { dashboardDir: `${built}/` });
      expect((await slashed.inject({ method: 'GET', url: '/' })).statusCode).toBe(200);
      expect((await slashed.inject({ method: 'GET', url: '/assets/app.js' })).statusCode).toBe(200);
      await slashed.close();
      const missing = apiApp(store, {}, { dashboardDir: join(dir, 'not-built') });
      expect((await missing.inject({ method: 'GET', url: '/' })).json()).toMatchObject({ error: 'no_dashboard' });
      await missing.close();
    } finally {
      await withFiles.close();
    }
  });
});
