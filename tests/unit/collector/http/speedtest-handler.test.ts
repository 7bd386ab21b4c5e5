import { randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { buildHttpHandler } from '@pantau/collector';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../helpers/fakes.js';
import { FakeRequest, FakeResponse } from '../../../helpers/http-fakes.js';

function handler(options: { maxDownBytes?: number; maxUpBytes?: number; maxConcurrent?: number } = {}) {
  let nowMs = 1000;
  const h = buildHttpHandler({
    speedtest: {
      maxDownBytes: options.maxDownBytes ?? 1_000_000,
      maxUpBytes: options.maxUpBytes ?? 1_000_000,
      maxConcurrent: options.maxConcurrent ?? 4,
    },
    randomBytes,
    monotonicMs: () => nowMs,
    log: silentLogger(),
  });
  return {
    h,
    advance(ms: number) {
      nowMs += ms;
    },
  };
}

describe('speed test handler (no socket)', () => {
  it('streams exactly N incompressible bytes for GET /speedtest/down?bytes=N', () => {
    const { h } = handler();
    const res = new FakeResponse();
    h(new FakeRequest('GET', '/speedtest/down?bytes=700000'), res);
    expect(res.status).toBe(200);
    expect(res.headers).toMatchObject({ 'content-length': 700_000, 'content-type': 'application/octet-stream' });
    expect(res.bodyBytes).toBe(700_000);
    expect(res.writableEnded).toBe(true);
    const body = Buffer.concat(res.chunks);
    expect(deflateSync(body).length).toBeGreaterThan(body.length * 0.99);
  });

  it('caps N at the configured maximum', () => {
    const { h } = handler({ maxDownBytes: 100_000 });
    const res = new FakeResponse();
    h(new FakeRequest('GET', '/speedtest/down?bytes=999999999'), res);
    expect(res.headers['content-length']).toBe(100_000);
    expect(res.bodyBytes).toBe(100_000);
  });

  it('waits for drain when the socket is full, and stops when the client hangs up', () => {
    const { h } = handler();
    const res = new FakeResponse(300_000);
    h(new FakeRequest('GET', '/speedtest/down?bytes=1000000'), res);
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
    const { h, advance } = handler();
    const req = new FakeRequest('POST', '/speedtest/up');
    const res = new FakeResponse();
    h(req, res);
    req.push(Buffer.alloc(50_000));
    advance(250);
    req.push(Buffer.alloc(30_000));
    req.finish();
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ bytes: 80_000, ms: 250 });
  });

  it('refuses an upload past the cap with 413 and closes the connection', () => {
    const { h } = handler({ maxUpBytes: 10_000 });
    const req = new FakeRequest('POST', '/speedtest/up');
    const res = new FakeResponse();
    h(req, res);
    req.push(Buffer.alloc(8000));
    req.push(Buffer.alloc(8000));
    req.finish();
    expect(res.status).toBe(413);
    expect(res.headers).toMatchObject({ connection: 'close' });
    expect(res.destroyed).toBe(true);
  });

  it('answers bad input with stable JSON errors', () => {
    const { h } = handler();
    const cases: [string, string, number, string][] = [
      ['GET', '/speedtest/down', 400, 'bad_request'],
      ['GET', '/speedtest/down?bytes=-1', 400, 'bad_request'],
      ['GET', '/speedtest/down?bytes=1e3x', 400, 'bad_request'],
      ['POST', '/speedtest/down?bytes=10', 405, 'method_not_allowed'],
      ['GET', '/speedtest/up', 405, 'method_not_allowed'],
      ['GET', '/nothing', 404, 'not_found'],
    ];
    for (const [method, url, status, error] of cases) {
      const res = new FakeResponse();
      h(new FakeRequest(method, url), res);
      expect([url, res.status, res.json()]).toEqual([url, status, expect.objectContaining({ error })]);
    }
  });

  it('serves a bounded number of tests at once', () => {
    const { h } = handler({ maxConcurrent: 1 });
    const busyUpload = new FakeRequest('POST', '/speedtest/up');
    const firstRes = new FakeResponse();
    h(busyUpload, firstRes);
    const res = new FakeResponse();
    h(new FakeRequest('GET', '/speedtest/down?bytes=10'), res);
    expect(res.status).toBe(503);
    busyUpload.finish();
    const after = new FakeResponse();
    h(new FakeRequest('GET', '/speedtest/down?bytes=10'), after);
    expect(after.status).toBe(200);
  });
});
