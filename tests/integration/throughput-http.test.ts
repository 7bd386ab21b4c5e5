import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '@pantau/agent';
import type { Collector } from '@pantau/collector';
import { collectorConfigSchema, createCollector, openSqliteStore } from '@pantau/collector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpTransport } from '../../agent/src/probes/throughput/http-transport.js';
import { createThroughputProbe } from '../../agent/src/probes/throughput/throughput-probe.js';
import { ManualScheduler, silentLogger } from '../helpers/fakes.js';
import { type LocalServer, startErrorServer, startStallServer } from '../helpers/http-servers.js';
import { freePort } from '../helpers/ports.js';

const signal = new AbortController().signal;
const transport = (
  endpoint: string,
  overrides: { maxBytes?: number; maxSeconds?: number; stallTimeoutMs?: number } = {},
) =>
  createHttpTransport(
    { endpoint, maxBytes: 2_000_000, maxSeconds: 10, stallTimeoutMs: 1000, ...overrides },
    { clock: systemClock, randomBytes },
  );

describe("the collector's HTTP server and the agent's throughput runner", () => {
  let collector: Collector;
  let endpoint: string;
  const servers: LocalServer[] = [];

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pantau-http-'));
    const config = collectorConfigSchema.parse({
      embeddedBroker: { port: 0 },
      store: { sqlitePath: join(dir, 'pantau.sqlite') },
      http: {
        enabled: true,
        host: '127.0.0.1',
        port: 0,
        speedtest: { maxDownBytes: 3_000_000, maxUpBytes: 3_000_000 },
      },
    });
    collector = createCollector({
      config,
      store: openSqliteStore(config.store.sqlitePath),
      log: silentLogger(),
      nowMs: Date.now,
    });
    await collector.start();
    endpoint = `${collector.httpUrl}/speedtest`;
  });

  afterAll(async () => {
    await collector.stop();
    for (const server of servers) await server.close();
  });

  it('is started by start() on a free loopback port and serves the speed test over a socket', async () => {
    expect(collector.httpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const down = await fetch(`${endpoint}/down?bytes=12345`);
    expect(down.status).toBe(200);
    expect((await down.arrayBuffer()).byteLength).toBe(12_345);
    const up = await fetch(`${endpoint}/up`, { method: 'POST', body: randomBytes(54_321) });
    expect(await up.json()).toMatchObject({ bytes: 54_321 });
    const missing = await fetch(`${collector.httpUrl}/nothing`);
    expect(missing.status).toBe(404);
  });

  it('measures a download and an upload with byte counts and times', async () => {
    const t = transport(endpoint);
    const down = await t.download(signal);
    expect(down).toMatchObject({ ok: true, value: { bytes: 2_000_000 } });
    const up = await t.upload(signal);
    expect(up).toMatchObject({ ok: true, value: { bytes: 2_000_000 } });
    if (up.ok) expect(up.value.ms).toBeGreaterThanOrEqual(0);
  });

  it('stops a leg at maxSeconds with what it measured so far', async () => {
    // 3 MB server cap, 1 GB asked: the server sends 3 MB; a 1 s cap on loopback is not reached.
    const down = await transport(endpoint, { maxBytes: 1_000_000_000, maxSeconds: 1 }).download(signal);
    expect(down).toMatchObject({ ok: true, value: { bytes: 3_000_000 } });
  });

  it('feeds a full test into the throughput section and the budget', async () => {
    const added: number[] = [];
    const probe = createThroughputProbe({
      transport: transport(endpoint, { maxBytes: 1_000_000 }),
      scheduler: new ManualScheduler(),
      when: { kind: 'daily', minuteOfDay: 120 },
      endpointHost: '127.0.0.1',
      maxTestBytes: 2_000_000,
      budget: { wouldExceed: () => false, add: (b) => added.push(b) },
      batteryVolts: () => 13,
      log: silentLogger(),
    });
    await probe.runNow();
    const section = await probe.measure(signal);
    expect(section).toMatchObject({ endpointHost: '127.0.0.1', downBytes: 1_000_000, upBytes: 1_000_000, error: null });
    expect(section?.downBitsPerSec).toBeGreaterThan(0);
    expect(added).toEqual([1_060_000, 1_060_000]);
  });

  it('says http_error when the endpoint answers with an error status', async () => {
    const server = await startErrorServer(500);
    servers.push(server);
    const t = transport(`${server.url}/speedtest`);
    expect(await t.download(signal)).toMatchObject({ ok: false, code: 'http_error' });
    expect(await t.upload(signal)).toMatchObject({ ok: false, code: 'http_error' });
    expect(await transport(`${collector.httpUrl}/wrong`).download(signal)).toMatchObject({
      ok: false,
      code: 'http_error',
    });
  });

  it('says http_timeout when the endpoint accepts and then stalls, within the stall timeout', async () => {
    const server = await startStallServer();
    servers.push(server);
    const t = transport(`${server.url}/speedtest`, { stallTimeoutMs: 600 });
    const started = Date.now();
    expect(await t.download(signal)).toMatchObject({ ok: false, code: 'http_timeout' });
    expect(await t.upload(signal)).toMatchObject({ ok: false, code: 'http_timeout' });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('says http_unreachable for a closed port, and the next test works again', async () => {
    const closed = await freePort();
    expect(await transport(`http://127.0.0.1:${closed}/speedtest`).download(signal)).toMatchObject({
      ok: false,
      code: 'http_unreachable',
    });
    expect(await transport(endpoint, { maxBytes: 100_000 }).download(signal)).toMatchObject({ ok: true });
  });

  it('aborts a leg on the signal', async () => {
    const server = await startStallServer();
    servers.push(server);
    const controller = new AbortController();
    const leg = transport(`${server.url}/speedtest`, { stallTimeoutMs: 10_000 }).download(controller.signal);
    setTimeout(() => controller.abort(), 100);
    expect(await leg).toMatchObject({ ok: false, code: 'http_aborted' });
  });
});
