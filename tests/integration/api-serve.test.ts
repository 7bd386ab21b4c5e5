import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashToken, openPostgresStore } from '@pantau/collector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillApiFleet } from '../helpers/api-fleet.js';
import { type CollectorProcess, startCollectorProcess } from '../helpers/collector-process.js';
import { freePort } from '../helpers/ports.js';
import { type Postgres, startPostgres } from '../helpers/postgres.js';
import { tempDirs } from '../helpers/temp-dirs.js';

const temp = tempDirs();
let postgres: Postgres;
const collectors: CollectorProcess[] = [];
const TOKEN = 'pt_integration-test-token-0123456789abcdef';

beforeAll(async () => {
  postgres = await startPostgres();
}, 120_000);
afterAll(async () => {
  for (const c of collectors) await c.kill();
  await postgres?.stop();
  temp.removeAll();
});

describe('pantau-collector serve with its HTTP API on PostgreSQL', () => {
  it('serves the overview and /metrics from the store, to a token only', async () => {
    const url = await postgres.createDatabase('pantau_api_serve');
    const store = await openPostgresStore({ connectionString: url });
    const fleet = await fillApiFleet(store, 6);
    await store.close();

    const dir = temp.make('api-serve');
    const config = join(dir, 'collector.json');
    writeFileSync(
      config,
      JSON.stringify({
        embeddedBroker: { port: 0 },
        store: { postgresUrl: url },
        health: { enabled: false },
        http: {
          enabled: true,
          host: '127.0.0.1',
          port: await freePort(),
          access: { mode: 'closed', tokens: [{ name: 'prometheus', role: 'viewer', tokenHash: hashToken(TOKEN) }] },
        },
      }),
    );
    const collector = startCollectorProcess(config);
    collectors.push(collector);
    const started = await collector.waitForEvent('started');
    const base = String(started.http);
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const headers = { authorization: `Bearer ${TOKEN}` };

    expect((await fetch(`${base}/api/overview`)).status).toBe(401);
    const overview = await fetch(`${base}/api/overview`, { headers });
    expect(overview.status).toBe(200);
    const body = (await overview.json()) as { sites: { siteId: string; state: string }[]; counts: { total: number } };
    expect(body.counts.total).toBe(fleet.records.length + 1);
    expect(body.sites[0]).toMatchObject({ siteId: fleet.offlineId, state: 'offline' });

    const metrics = await fetch(`${base}/metrics`, { headers });
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await metrics.text();
    expect(text).toContain(`pantau_site_up{site_id="${fleet.offlineId}"} 0`);
    expect(text).toMatch(/^pantau_ingest_samples_stored_total \d+$/m);
    expect(text).toMatch(/^pantau_input_connected 1$/m);

    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ ok: true });
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    // Never logged: the token, in any line.
    await collector.stop();
    expect(collector.lines.some((l) => JSON.stringify(l).includes(TOKEN))).toBe(false);
  });
});
