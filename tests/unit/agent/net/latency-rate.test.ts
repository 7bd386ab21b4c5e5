import type { GatewayDetector } from '@pantau/agent';
import { fail, ok } from '@pantau/shared';
import { describe, expect, it } from 'vitest';
import { createLatencyProbe } from '../../../../agent/src/probes/latency/latency-probe.js';
import { FakePinger } from '../../../helpers/fakes.js';

const signal = new AbortController().signal;
const alive = { ok: true as const, sent: 1, rttsMs: [1] };
const detector = (address: string | null): GatewayDetector => ({
  detect: async () => (address === null ? fail('gateway_unknown', 'no default route') : ok(address)),
});

describe('latency rates and the detected gateway', () => {
  it('probes a target only every Nth sample; others are absent from that sample', async () => {
    const probe = createLatencyProbe({
      pinger: new FakePinger({ gw: alive, inet: alive, noc: alive }),
      targets: [
        { role: 'gateway', host: 'gw', count: 1, timeoutMs: 500 },
        { role: 'internet', host: 'inet', count: 1, timeoutMs: 500 },
        { role: 'noc', host: 'noc', count: 1, timeoutMs: 500, everySamples: 2 },
      ],
      everySamplesByRole: { gateway: 1, internet: 5 },
    });
    const hosts: string[][] = [];
    for (let i = 0; i < 6; i++) {
      const section = await probe.measure(signal);
      expect(section.error).toBeNull();
      hosts.push((section.targets ?? []).map((t) => t.host));
    }
    expect(hosts).toEqual([['gw', 'inet', 'noc'], ['gw'], ['gw', 'noc'], ['gw'], ['gw', 'noc'], ['gw', 'inet']]);
  });

  it('probes the routing table gateway when no gateway target is configured', async () => {
    const pinger = new FakePinger({ '192.168.1.1': { ok: true, sent: 3, rttsMs: [1, 2, 3] }, inet: alive });
    const section = await createLatencyProbe({
      pinger,
      targets: [{ role: 'internet', host: 'inet', count: 1, timeoutMs: 500 }],
      autoGateway: { detector: detector('192.168.1.1'), count: 3, timeoutMs: 1000 },
    }).measure(signal);
    expect(section.targets?.map((t) => [t.role, t.host, t.method, t.rttAvgMs])).toEqual([
      ['internet', 'inet', 'icmp', 1],
      ['gateway', '192.168.1.1', 'icmp', 2],
    ]);
  });

  it('says gateway_unknown with null values when the routing table has no default route', async () => {
    const section = await createLatencyProbe({
      pinger: new FakePinger({}),
      targets: [],
      autoGateway: { detector: detector(null), count: 3, timeoutMs: 1000 },
    }).measure(signal);
    expect(section).toEqual({
      targets: [expect.objectContaining({ role: 'gateway', host: 'auto', sent: null, error: 'gateway_unknown' })],
      error: null,
    });
  });

  it('does not detect a gateway when one is configured', async () => {
    let asked = 0;
    const section = await createLatencyProbe({
      pinger: new FakePinger({ gw: alive }),
      targets: [{ role: 'gateway', host: 'gw', count: 1, timeoutMs: 500 }],
      autoGateway: {
        detector: {
          detect: async () => {
            asked += 1;
            return ok('10.0.0.1');
          },
        },
        count: 1,
        timeoutMs: 500,
      },
    }).measure(signal);
    expect(section.targets?.map((t) => t.host)).toEqual(['gw']);
    expect(asked).toBe(0);
  });
});
