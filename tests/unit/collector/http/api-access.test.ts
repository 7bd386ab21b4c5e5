import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashPassword, hashToken, openSqliteStore, type Store } from '@pantau/collector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiApp, fillApiFleet } from '../../../helpers/api-fleet.js';

const dir = mkdtempSync(join(tmpdir(), 'pantau-access-'));
let store: Store;
let app: ReturnType<typeof apiApp>;
const ADMIN_TOKEN = 'pt_machine-token-for-the-test-0123456789';
const VIEWER_TOKEN = 'pt_viewer-token-for-the-test-0123456789';
const silence = {
  scope: { kabupatenCode: '64.08' },
  kinds: ['offline'],
  startsMs: 1_000,
  endsMs: 2_000,
  comment: 'genset swap',
};

beforeAll(async () => {
  store = openSqliteStore(join(dir, 'pantau.sqlite'));
  await fillApiFleet(store, 4);
  app = apiApp(store, {
    mode: 'closed',
    users: [
      { name: 'dewi', role: 'admin', passwordHash: await hashPassword('correct horse') },
      { name: 'budi', role: 'viewer', passwordHash: await hashPassword('battery staple') },
    ],
    tokens: [
      { name: 'prometheus', role: 'viewer', tokenHash: hashToken(VIEWER_TOKEN) },
      { name: 'noc-bot', role: 'admin', tokenHash: hashToken(ADMIN_TOKEN) },
    ],
  });
});
afterAll(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function login(user: string, password: string) {
  const res = await app.inject({ method: 'POST', url: '/api/login', payload: { user, password } });
  const cookie = String(res.headers['set-cookie'] ?? '').split(';')[0] ?? '';
  return { res, cookie, csrf: res.statusCode === 200 ? (res.json().csrfToken as string) : '' };
}

describe('access to the API in closed mode', () => {
  it('refuses anonymous requests with 401, except the health checks, login, OpenAPI and the speed test', async () => {
    for (const url of ['/api/overview', '/api/sites/x', '/api/alerts', '/metrics', '/api/me', '/api/events']) {
      const res = await app.inject({ method: 'GET', url });
      expect([url, res.statusCode, res.json().error]).toEqual([url, 401, 'unauthenticated']);
    }
    const write = await app.inject({ method: 'POST', url: '/api/silences', payload: silence });
    expect(write.statusCode).toBe(401);
    for (const url of ['/healthz', '/readyz', '/openapi.json', '/speedtest/down?bytes=10']) {
      expect([url, (await app.inject({ method: 'GET', url })).statusCode]).toEqual([url, 200]);
    }
  });

  it('logs a user in with an HttpOnly SameSite=Strict cookie, and tells who they are', async () => {
    const { res, cookie, csrf } = await login('budi', 'battery staple');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ user: 'budi', role: 'viewer' });
    expect(String(res.headers['set-cookie'])).toMatch(/^pantau_session=[^;]+; HttpOnly; SameSite=Strict; Path=\//);
    const me = await app.inject({ method: 'GET', url: '/api/me', headers: { cookie } });
    expect(me.json()).toEqual({ user: 'budi', role: 'viewer', csrfToken: csrf, demo: false });
    expect((await app.inject({ method: 'GET', url: '/api/overview', headers: { cookie } })).statusCode).toBe(200);
    await app.inject({ method: 'POST', url: '/api/logout', headers: { cookie } });
    expect((await app.inject({ method: 'GET', url: '/api/overview', headers: { cookie } })).statusCode).toBe(401);
  });

  it('refuses a wrong password with 401 and writes the failure to the audit log', async () => {
    const { res } = await login('dewi', 'wrong');
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toBe('bad_login');
    const [line] = await store.recentAudit(1);
    expect(line).toMatchObject({ user: 'dewi', action: 'login', ok: false });
  });

  it('refuses a viewer a write with 403, and audits it', async () => {
    const { cookie, csrf } = await login('budi', 'battery staple');
    const res = await app.inject({
      method: 'POST',
      url: '/api/silences',
      payload: silence,
      headers: { cookie, 'x-csrf-token': csrf },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toBe('forbidden');
    expect((await store.recentAudit(1))[0]).toMatchObject({
      user: 'budi',
      role: 'viewer',
      ok: false,
      detail: 'forbidden',
    });
    const byToken = await app.inject({
      method: 'POST',
      url: '/api/alerts/ack',
      payload: { key: 'a/offline' },
      headers: { authorization: `Bearer ${VIEWER_TOKEN}` },
    });
    expect(byToken.statusCode).toBe(403);
  });

  it('refuses an admin session write without the CSRF token (403 csrf), and takes it with the token', async () => {
    const { cookie, csrf } = await login('dewi', 'correct horse');
    const without = await app.inject({ method: 'POST', url: '/api/silences', payload: silence, headers: { cookie } });
    expect([without.statusCode, without.json().error]).toEqual([403, 'csrf']);
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/silences',
      payload: silence,
      headers: { cookie, 'x-csrf-token': `${csrf}x` },
    });
    expect(wrong.statusCode).toBe(403);
    const ok = await app.inject({
      method: 'POST',
      url: '/api/silences',
      payload: silence,
      headers: { cookie, 'x-csrf-token': csrf },
    });
    expect(ok.statusCode).toBe(201);
    const { id } = ok.json();
    const silences = (await store.silences()).filter((s) => s.id === id);
    expect(silences).toEqual([expect.objectContaining({ by: 'dewi', comment: 'genset swap', kinds: ['offline'] })]);
    expect((await store.recentAudit(1))[0]).toMatchObject({
      user: 'dewi',
      role: 'admin',
      action: 'silence',
      target: id,
      ok: true,
    });
  });

  it('takes a bearer token without CSRF: ack, maintenance, end; each audited', async () => {
    const headers = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const ack = await app.inject({
      method: 'POST',
      url: '/api/alerts/ack',
      payload: { key: 'kt-x/offline', note: 'driving there' },
      headers,
    });
    expect(ack.statusCode).toBe(202);
    expect(await store.pendingAcks()).toEqual([
      expect.objectContaining({ key: 'kt-x/offline', by: 'noc-bot', note: 'driving there' }),
    ]);
    const window = await app.inject({
      method: 'POST',
      url: '/api/maintenance',
      payload: { scope: { siteId: 'kt-x' }, startsMs: 1, endsMs: 5 },
      headers,
    });
    expect(window.statusCode).toBe(201);
    const end = await app.inject({ method: 'POST', url: `/api/controls/${window.json().id}/end`, headers });
    expect(end.statusCode).toBe(200);
    const missing = await app.inject({ method: 'POST', url: '/api/controls/none/end', headers });
    expect(missing.statusCode).toBe(404);
    const lines = await store.recentAudit(4);
    expect(lines.map((l) => [l.user, l.action, l.ok])).toEqual([
      ['noc-bot', 'end', false],
      ['noc-bot', 'end', true],
      ['noc-bot', 'maintenance', true],
      ['noc-bot', 'ack', true],
    ]);
    const audit = await app.inject({ method: 'GET', url: '/api/audit?limit=2', headers });
    expect(audit.json().entries).toHaveLength(2);
  });

  it('refuses an unknown bearer token with 401, and bad bodies with 400', async () => {
    const unknown = await app.inject({
      method: 'GET',
      url: '/api/overview',
      headers: { authorization: 'Bearer pt_nope' },
    });
    expect([unknown.statusCode, unknown.json().error]).toEqual([401, 'bad_token']);
    const headers = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const twoScopes = await app.inject({
      method: 'POST',
      url: '/api/silences',
      payload: { ...silence, scope: { siteId: 'a', kabupatenCode: '64.08' } },
      headers,
    });
    expect(twoScopes.statusCode).toBe(400);
    const backwards = await app.inject({
      method: 'POST',
      url: '/api/silences',
      payload: { ...silence, endsMs: 10 },
      headers,
    });
    expect(backwards.json().error).toBe('bad_request');
    const notJson = await app.inject({
      method: 'POST',
      url: '/api/silences',
      payload: '{',
      headers: { ...headers, 'content-type': 'application/json' },
    });
    expect(notJson.statusCode).toBe(400);
  });

  it('in demo mode treats anonymous requests as admin, and says so', async () => {
    const demo = apiApp(store, { mode: 'demo' });
    try {
      expect((await demo.inject({ method: 'GET', url: '/api/me' })).json()).toEqual({
        user: 'demo',
        role: 'admin',
        csrfToken: null,
        demo: true,
      });
      const write = await demo.inject({ method: 'POST', url: '/api/silences', payload: silence });
      expect(write.statusCode).toBe(201);
      expect((await store.recentAudit(1))[0]).toMatchObject({ user: 'demo', action: 'silence', ok: true });
    } finally {
      await demo.close();
    }
  });
});
