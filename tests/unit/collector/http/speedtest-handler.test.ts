import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { deflateSync } from 'node:zlib';
import { buildSpeedtestApp, createSpeedtest, listenHttp } from '@pantau/collector';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../helpers/fakes.js';
import { FakeRequest, FakeResponse } from '../../../helpers/http-fakes.js';

function speedtest(options: { maxDownBytes?: number; maxUpBytes?: number } = {}) {
  let nowMs = 1000;
  const s = createSpeedtest({
    limits: { maxDownBytes: options.maxDownBytes ?? 1_000_000, maxUpBytes: options.maxUpBytes ?? 1_000_000 },
    randomBytes,
    monotonicMs: () => nowMs,
  });
  return {
    s,
    advance(ms: number) {
      nowMs += ms;
    },
  };
}

const apps: ReturnType<typeof buildSpeedtestApp>[] = [];
function app(options: { maxDownBytes?: number; maxUpBytes?: number; maxConcurrent?: number } = {}) {
  const a = buildSpeedtestApp({
    speedtest: {
      maxDownBytes: options.maxDownBytes ?? 1_000_000,
      maxUpBytes: options.maxUpBytes ?? 1_000_000,
      maxConcurrent: options.maxConcurrent ?? 4,
    },
    randomBytes,
    monotonicMs: () => performance.now(),
    log: silentLogger(),
  });
  apps.push(a);
  return a;
}
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});

describe('speed test (no socket)', () => {
  it('streams exactly N incompressible bytes for GET /speedtest/down?bytes=N', async () => {
    const res = await app().inject({ method: 'GET', url: '/speedtest/down?bytes=700000' });
    expect(res.statusCode).toBe(200);
    expect(res.headers).toMatchObject({ 'content-length': '700000', 'content-type': 'application/octet-stream' });
    expect(res.rawPayload.length).toBe(700_000);
    expect(deflateSync(res.rawPayload).length).toBeGreaterThan(res.rawPayload.length * 0.99);
  });

  it('caps N at the configured maximum', async () => {
    const res = await app({ maxDownBytes: 100_000 }).inject({ method: 'GET', url: '/speedtest/down?bytes=999999999' });
    expect(res.headers['content-length']).toBe('100000');
    expect(res.rawPayload.length).toBe(100_000);
  });

  it('waits for drain when the socket is full, and stops when the client hangs up', () => {
    const { s } = speedtest();
    const res = new FakeResponse(300_000);
    s.down(new URL('http://x/speedtest/down?bytes=1000000'), res);
    const first = res.bodyBytes;
    expect(first).toBeLessThan(1_000_000);
    res.drain();
    expect(res.bodyBytes).toBeGreaterThan(first);
    const second = res.bodyBytes;
    res.hangUp();
    res.drain();
    expect(res.bodyBytes).toBe(second);
    expect(res.writableEnded).toBe(false);
  });

  it('reads and discards an upload, replying {bytes, ms} from first to last byte', () => {
    const { s, advance } = speedtest();
    const req = new FakeRequest('POST', '/speedtest/up');
    const res = new FakeResponse();
    s.up(req, res);
    req.push(Buffer.alloc(50_000));
    advance(250);
    req.push(Buffer.alloc(30_000));
    req.finish();
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ bytes: 80_000, ms: 250 });
  });

  it('counts an upload of any content type through the app, unparsed', async () => {
    const a = app();
    for (const headers of [
      {},
      { 'content-type': 'application/json' },
      { 'content-type': 'application/octet-stream' },
    ]) {
      const res = await a.inject({ method: 'POST', url: '/speedtest/up', payload: Buffer.alloc(80_000, 7), headers });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ bytes: 80_000 });
    }
  });

  it('refuses an upload past the cap with 413 and closes the connection', () => {
    const { s } = speedtest({ maxUpBytes: 10_000 });
    const req = new FakeRequest('POST', '/speedtest/up');
    const res = new FakeResponse();
    s.up(req, res);
    req.push(Buffer.alloc(8000));
    req.push(Buffer.alloc(8000));
    req.finish();
    expect(res.status).toBe(413);
    expect(res.headers).toMatchObject({ connection: 'close' });
    expect(res.destroyed).toBe(true);
  });

  it('answers bad input with stable JSON errors', async () => {
    const a = app();
    const cases: [string, string, number, string][] = [
      ['GET', '/speedtest/down', 400, 'bad_request'],
      ['GET', '/speedtest/down?bytes=-1', 400, 'bad_request'],
      ['GET', '/speedtest/down?bytes=1e3x', 400, 'bad_request'],
      ['POST', '/speedtest/down?bytes=10', 405, 'method_not_allowed'],
      ['GET', '/speedtest/up', 405, 'method_not_allowed'],
      ['GET', '/nothing', 404, 'not_found'],
    ];
    for (const [method, url, status, error] of cases) {
      const res = await a.inject({ method: method as 'GET' | 'POST', url });
      expect([url, res.statusCode, res.json()]).toEqual([url, status, expect.objectContaining({ error })]);
    }
  });

  it('serves a bounded number of tests at once', async () => {
    // An upload held open on a real socket (inject() reads a whole body before it dispatches).
    const server = await listenHttp(app({ maxConcurrent: 1 }), '127.0.0.1', 0);
    try {
      const upload = request(`${server.url}/speedtest/up`, { method: 'POST' });
      const answered = new Promise<string>((resolve) => {
        upload.on('response', (res) => {
          let text = '';
          res.on('data', (c: Buffer) => {
            text += c.toString();
          });
          res.on('end', () => resolve(text));
        });
      });
      upload.write(Buffer.alloc(1000));
      let refused = await fetch(`${server.url}/speedtest/down?bytes=10`);
      // The upload's handler may not have run yet when the second request arrives: wait for it.
      for (let i = 0; i < 200 && refused.status === 200; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        refused = await fetch(`${server.url}/speedtest/down?bytes=10`);
      }
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('60');
      upload.end();
      expect(JSON.parse(await answered)).toMatchObject({ bytes: 1000 });
      const after = await fetch(`${server.url}/speedtest/down?bytes=10`);
      expect(after.status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
