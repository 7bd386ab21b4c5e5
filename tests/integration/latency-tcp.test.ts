import { createServer, type Server } from 'node:net';
import { systemClock } from '@pantau/agent';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLatencyProbe } from '../../agent/src/probes/latency/latency-probe.js';
import { createNetConnector } from '../../agent/src/probes/latency/tcp-connector.js';
import { tcpPing } from '../../agent/src/probes/latency/tcp-pinger.js';
import { FakePinger } from '../helpers/fakes.js';
import { freePort } from '../helpers/ports.js';
import { startBlackholePort } from '../helpers/tcp-servers.js';

// Real TCP on loopback only; names resolve through an injected lookup, so no DNS query leaves.
const lookup = async (host: string) => {
  if (host === 'collector.test') return { address: '127.0.0.1' };
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
};
const connector = createNetConnector(systemClock, lookup);
const signal = new AbortController().signal;

describe('TCP-connect latency against real sockets', () => {
  let server: Server;
  let openPort: number;
  let accepted = 0;

  beforeAll(async () => {
    server = createServer((socket) => {
      accepted += 1;
      socket.on('error', () => {});
      socket.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    openPort = address.port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('times real connects to an open port and closes each connection', async () => {
    const outcome = await tcpPing(
      connector,
      { host: 'collector.test', port: openPort, count: 3, timeoutMs: 2000 },
      signal,
    );
    expect(outcome).toMatchObject({ ok: true, sent: 3, lastFailure: null });
    if (!outcome.ok) return;
    expect(outcome.rttsMs).toHaveLength(3);
    for (const ms of outcome.rttsMs) expect(ms).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(accepted).toBeGreaterThanOrEqual(3);
  });

  it('reports a closed port as tcp_refused with 100 % loss, quickly', async () => {
    const closed = await freePort();
    const started = Date.now();
    const section = await createLatencyProbe({
      pinger: new FakePinger({}),
      connector,
      targets: [{ role: 'noc', host: '127.0.0.1', method: 'tcp', port: closed, count: 3, timeoutMs: 2000 }],
    }).measure(signal);
    expect(section.targets?.[0]).toMatchObject({
      sent: 3,
      received: 0,
      lossPct: 100,
      rttAvgMs: null,
      error: 'tcp_refused',
    });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('reports a port that never answers as tcp_timeout, each attempt bounded by timeoutMs', async () => {
    const blackhole = await startBlackholePort();
    try {
      const started = Date.now();
      const section = await createLatencyProbe({
        pinger: new FakePinger({}),
        connector,
        targets: [{ role: 'noc', host: '127.0.0.1', method: 'tcp', port: blackhole.port, count: 2, timeoutMs: 300 }],
      }).measure(signal);
      expect(section.targets?.[0]).toMatchObject({ sent: 2, received: 0, rttAvgMs: null, error: 'tcp_timeout' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(550);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await blackhole.close();
    }
  });

  it('reports an unresolvable name as host_unresolved with null values', async () => {
    const section = await createLatencyProbe({
      pinger: new FakePinger({}),
      connector,
      targets: [{ role: 'internet', host: 'nowhere.invalid', method: 'tcp', port: 443, count: 3, timeoutMs: 500 }],
    }).measure(signal);
    expect(section.targets?.[0]).toMatchObject({ sent: null, received: null, error: 'host_unresolved' });
  });

  it('gives up on an attempt when the probe is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const attempt = await connector.connect({
      address: '127.0.0.1',
      port: openPort,
      timeoutMs: 2000,
      signal: controller.signal,
    });
    expect(attempt).toMatchObject({ ok: false, code: 'tcp_timeout' });
  });
});
