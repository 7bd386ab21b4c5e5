import { rttStats } from '@pantau/agent';
import { describe, expect, it } from 'vitest';
import { createLatencyProbe } from '../../../agent/src/probes/latency/latency-probe.js';
import { FakePinger } from '../../helpers/fakes.js';

const signal = new AbortController().signal;

describe('rttStats', () => {
  it('computes loss, min/avg/max and jitter', () => {
    expect(rttStats(4, [10, 14, 12])).toEqual({
      sent: 4,
      received: 3,
      lossPct: 25,
      rttMinMs: 10,
      rttAvgMs: 12,
      rttMaxMs: 14,
      jitterMs: 3,
    });
  });

  it('has no round-trip figures without replies, and no jitter from one reply', () => {
    expect(rttStats(3, [])).toMatchObject({ lossPct: 100, rttAvgMs: null, jitterMs: null });
    expect(rttStats(3, [5])).toMatchObject({ rttAvgMs: 5, jitterMs: null });
  });
});

describe('latency probe', () => {
  const targets = [
    { role: 'gateway' as const, host: '10.0.0.1', count: 3, timeoutMs: 1000 },
    { role: 'internet' as const, host: 'anchor.example', count: 3, timeoutMs: 1000 },
  ];

  it('measures every target, one failure not hiding another', async () => {
    const pinger = new FakePinger({
      '10.0.0.1': { ok: true, sent: 3, rttsMs: [1, 2, 3] },
      'anchor.example': { ok: true, sent: 3, rttsMs: [] },
    });
    const section = await createLatencyProbe({ pinger, targets }).measure(signal);
    expect(section.error).toBeNull();
    expect(section.targets).toEqual([
      expect.objectContaining({ role: 'gateway', received: 3, rttAvgMs: 2, error: null }),
      expect.objectContaining({ role: 'internet', sent: 3, received: 0, lossPct: 100, error: 'no_reply' }),
    ]);
    expect(pinger.requests.map((r) => r.count)).toEqual([3, 3]);
  });

  it('gives null values and ping_missing when there is no ping program', async () => {
    const missing = { ok: false as const, code: 'ping_missing' as const, message: 'spawn ping ENOENT' };
    const pinger = new FakePinger({ '10.0.0.1': missing, 'anchor.example': missing });
    const section = await createLatencyProbe({ pinger, targets }).measure(signal);
    expect(section.targets?.[0]).toMatchObject({
      sent: null,
      received: null,
      lossPct: null,
      rttAvgMs: null,
      error: 'ping_missing',
    });
  });

  it('says no_targets when none are configured', async () => {
    const section = await createLatencyProbe({ pinger: new FakePinger({}), targets: [] }).measure(signal);
    expect(section).toEqual({ targets: [], error: 'no_targets' });
  });
});
