import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seeded } from '@pantau/bench/seeded';
import { hashToken, openSqliteStore, type Store } from '@pantau/collector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiApp, fillApiFleet } from '../../../helpers/api-fleet.js';

/**
 * Every request body and query the API parses, mutated from a valid one: each answer is a client
 * error or success with a stable code, never a 5xx, within a bounded time, and the API still
 * answers afterwards.
 */
const dir = mkdtempSync(join(tmpdir(), 'pantau-api-fuzz-'));
const TOKEN = 'pt_fuzz-admin-token-0123456789abcdef';
let store: Store;
let app: ReturnType<typeof apiApp>;

beforeAll(async () => {
  store = openSqliteStore(join(dir, 'pantau.sqlite'));
  await fillApiFleet(store, 4);
  app = apiApp(store, { mode: 'closed', tokens: [{ name: 'fuzz', role: 'admin', tokenHash: hashToken(TOKEN) }] });
});
afterAll(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const VALID_BODIES: readonly { url: string; body: Json }[] = [
  { url: '/api/login', body: { user: 'dewi', password: 'correct horse' } },
  { url: '/api/alerts/ack', body: { key: 'site-01/offline', note: 'on it' } },
  {
    url: '/api/silences',
    body: { scope: { kabupatenCode: '64.08' }, kinds: ['offline'], startsMs: 1000, endsMs: 2000, comment: 'x' },
  },
  { url: '/api/maintenance', body: { scope: { siteId: 'site-01' }, startsMs: 1000, endsMs: 2000, comment: 'x' } },
];
const VALID_QUERIES: readonly string[] = [
  '/api/overview?kabupaten=64.08&kecamatan=64.08.05&group=school&q=desa&state=offline',
  '/api/sites/site-01/series?fromMs=0&toMs=86400000&grain=hour',
  '/api/sites/site-01/completeness?fromMs=0&toMs=86400000',
  '/api/alerts?open=true',
  '/api/report?from=2026-11-01&to=2026-11-02&format=json&kabupaten=64.08',
  '/api/open-data?from=2026-11-01&to=2026-11-02',
];

const ODD_VALUES: readonly Json[] = [
  null,
  true,
  -1,
  1e308,
  Number.MAX_SAFE_INTEGER,
  '',
  'x'.repeat(20_000),
  '\u0000\uffff',
  '../../etc/passwd',
  [],
  {},
  { __proto__: { admin: true } } as unknown as Json,
  Array.from({ length: 2000 }, () => 1),
];

function nested(depth: number): Json {
  let v: Json = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

/** A valid value changed in one place: a field replaced, removed or added, or the whole body swapped. */
function mutate(value: Json, random: () => number): Json {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  if (value === null || typeof value !== 'object' || Array.isArray(value) || random() < 0.1) {
    return random() < 0.5 ? pick(ODD_VALUES) : nested(1 + Math.floor(random() * 200));
  }
  const copy: { [key: string]: Json } = { ...value };
  const keys = Object.keys(copy);
  const key = pick(keys);
  const action = random();
  if (action < 0.3) delete copy[key];
  else if (action < 0.5) copy[`extra${Math.floor(random() * 10)}`] = pick(ODD_VALUES);
  else copy[key] = mutate(copy[key] ?? null, random);
  return copy;
}

function mutateQuery(url: string, random: () => number): string {
  const [path = '', query = ''] = url.split('?');
  const params = new URLSearchParams(query);
  const names = [...params.keys()];
  const name = names[Math.floor(random() * names.length)] ?? 'x';
  const odd = ['', '-1', 'NaN', '1e400', 'x'.repeat(5000), '%00', '2026-13-45', '[]', 'a&b=c'];
  const r = random();
  if (r < 0.3) params.delete(name);
  else if (r < 0.5) params.append(name, odd[Math.floor(random() * odd.length)] ?? '');
  else params.set(name, odd[Math.floor(random() * odd.length)] ?? '');
  return `${path}?${params.toString()}`;
}

const auth = { authorization: `Bearer ${TOKEN}` };
const CASES = 150;
const PER_REQUEST_MS = 5_000;

async function timed(run: () => Promise<{ statusCode: number; body: string }>) {
  const started = performance.now();
  const res = await run();
  return { ...res, ms: performance.now() - started };
}

describe('the API under mutated requests', () => {
  it('answers every mutated body with a client error or success, never a server error, each in bounded time', async () => {
    const random = seeded(2026);
    for (let i = 0; i < CASES; i++) {
      const { url, body } = VALID_BODIES[i % VALID_BODIES.length] as { url: string; body: Json };
      const payload = random() < 0.1 ? '{"unterminated": ' : JSON.stringify(mutate(body, random));
      const res = await timed(() =>
        app.inject({ method: 'POST', url, payload, headers: { ...auth, 'content-type': 'application/json' } }),
      );
      expect([url, payload.slice(0, 80), res.statusCode < 500]).toEqual([url, payload.slice(0, 80), true]);
      expect(res.ms).toBeLessThan(PER_REQUEST_MS);
      if (res.statusCode >= 400) expect(JSON.parse(res.body).error).toMatch(/^[a-z_]+$/);
    }
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('answers every mutated query the same way', async () => {
    const random = seeded(7);
    for (let i = 0; i < CASES; i++) {
      const url = mutateQuery(VALID_QUERIES[i % VALID_QUERIES.length] ?? '', random);
      const res = await timed(() => app.inject({ method: 'GET', url, headers: auth }));
      expect([url.slice(0, 120), res.statusCode < 500]).toEqual([url.slice(0, 120), true]);
      expect(res.ms).toBeLessThan(PER_REQUEST_MS);
    }
    expect((await app.inject({ method: 'GET', url: '/api/overview', headers: auth })).statusCode).toBe(200);
  });
});
