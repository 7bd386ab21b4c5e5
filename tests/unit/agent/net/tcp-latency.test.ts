import { describe, expect, it } from 'vitest';
import { createLatencyProbe } from '../../../../agent/src/probes/latency/latency-probe.js';
import { tcpPing } from '../../../../agent/src/probes/latency/tcp-pinger.js';
import { createLogLimiter } from '../../../../agent/src/probes/log-limiter.js';
import { captureLogger, FakeClock, FakePinger } from '../../../helpers/fakes.js';
import { FakeConnector } from '../../../helpers/net-fakes.js';

const signal = new AbortController().signal;
const tcp = (host: string, role: 'gateway' | 'terminal' | 'internet' | 'noc' = 'internet') => ({
  role,
  host,
  method: 'tcp' as const,
  port: 443,
  count: 3,
  timeoutMs: 1000,
});

describe('TCP-connect latency', () => {
  it('times each connect; failed attempts count as loss; same stats as ICMP', async () => {
    const connector = new FakeConnector({ '10.9.9.9': [10, 'tcp_timeout', 14] });
    const section = await createLatencyProbe({
      pinger: new FakePinger({}),
      connector,
      targets: [tcp('10.9.9.9')],
    }).measure(signal);
    expect(section.targets?.[0]).toEqual({
      role: 'internet',
      host: '10.9.9.9',
      method: 'tcp',
      sent: 3,
      received: 2,
      lossPct: 33.3,
      rttMinMs: 10,
      rttAvgMs: 12,
      rttMaxMs: 14,
      jitterMs: 4,
      error: null,
    });
    expect(connector.requests.map((r) => [r.port, r.timeoutMs])).toEqual([
      [443, 1000],
      [443, 1000],
      [443, 1000],
    ]);
  });

  it('says tcp_refused for a closed port and tcp_timeout when nothing answers, with null round trips', async () => {
    const connector = new FakeConnector({
      '10.0.0.5': ['tcp_refused', 'tcp_refused', 'tcp_refused'],
      '10.0.0.6': ['tcp_timeout', 'tcp_timeout', 'tcp_timeout'],
    });
    const section = await createLatencyProbe({
      pinger: new FakePinger({}),
      connector,
      targets: [tcp('10.0.0.5'), tcp('10.0.0.6')],
    }).measure(signal);
    expect(section.targets?.map((t) => [t.sent, t.received, t.lossPct, t.rttAvgMs, t.error])).toEqual([
      [3, 0, 100, null, 'tcp_refused'],
      [3, 0, 100, null, 'tcp_timeout'],
    ]);
  });

  it('gives null values and host_unresolved for a name that does not resolve, without connecting', async () => {
    const connector = new FakeConnector({});
    const section = await createLatencyProbe({
      pinger: new FakePinger({}),
      connector,
      targets: [tcp('nowhere.invalid')],
    }).measure(signal);
    expect(section.targets?.[0]).toMatchObject({ sent: null, received: null, lossPct: null, error: 'host_unresolved' });
    expect(connector.requests).toEqual([]);
  });

  it('resolves a name once and connects to its address', async () => {
    const connector = new FakeConnector({ '10.1.1.1': [5, 6] }, { 'noc.example': '10.1.1.1' });
    const outcome = await tcpPing(connector, { host: 'noc.example', port: 8883, count: 2, timeoutMs: 500 }, signal);
    expect(outcome).toEqual({ ok: true, sent: 2, rttsMs: [5, 6], lastFailure: null });
  });

  it('stops attempting once the probe is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const outcome = await tcpPing(
      new FakeConnector({ '10.1.1.1': [5] }),
      { host: '10.1.1.1', port: 80, count: 3, timeoutMs: 500 },
      controller.signal,
    );
    expect(outcome).toEqual({ ok: true, sent: 0, rttsMs: [], lastFailure: null });
  });

  it('counts probes beyond the LAN in the budget, and LAN probes not', async () => {
    const added: number[] = [];
    const budget = { add: (bytes: number) => added.push(bytes) };
    const probe = createLatencyProbe({
      pinger: new FakePinger({
        '1.1.1.1': { ok: true, sent: 3, rttsMs: [20, 21] },
        '192.168.1.1': { ok: true, sent: 3, rttsMs: [1, 1, 1] },
      }),
      connector: new FakeConnector({ '10.2.2.2': [30, 'tcp_refused', 31] }),
      targets: [
        { role: 'internet', host: '1.1.1.1', count: 3, timeoutMs: 1000 },
        { role: 'gateway', host: '192.168.1.1', count: 3, timeoutMs: 1000 },
        tcp('10.2.2.2', 'noc'),
      ],
      budget,
    });
    await probe.measure(signal);
    // ICMP: 3 requests and 2 replies of 84 bytes; TCP: 2 connects of 328 bytes and 1 failed attempt of 120.
    expect(added.sort((a, b) => a - b)).toEqual([5 * 84, 2 * 328 + 120]);
  });

  it('logs a failing target once per interval, not every cycle', async () => {
    const clock = new FakeClock();
    const { log, lines } = captureLogger('warn');
    const probe = createLatencyProbe({
      pinger: new FakePinger({}),
      connector: new FakeConnector({ '10.0.0.5': Array(9).fill('tcp_refused') }),
      targets: [tcp('10.0.0.5')],
      log: { logger: log, limiter: createLogLimiter(clock, 60_000) },
    });
    await probe.measure(signal);
    clock.advance(30_000);
    const second = await probe.measure(signal);
    expect(second.targets?.[0]?.error).toBe('tcp_refused');
    expect(lines.filter((l) => l.event === 'latency_failed')).toHaveLength(1);
    clock.advance(30_000);
    await probe.measure(signal);
    expect(lines.filter((l) => l.event === 'latency_failed')).toHaveLength(2);
    expect(lines[0]).toMatchObject({ code: 'tcp_refused', host: '10.0.0.5', role: 'internet' });
  });
});
