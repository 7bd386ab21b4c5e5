import { agentConfigSchema } from '@pantau/agent';
import { usageSectionSchema } from '@pantau/shared';
import { describe, expect, it } from 'vitest';
import { buildUsageProbe } from '../../../../agent/src/probes/usage/build-usage-probe.js';
import { defaultInterfaceCounterPaths } from '../../../../agent/src/probes/usage/interface-counters.js';
import { createTrafficMeter } from '../../../../agent/src/probes/usage/traffic-meter.js';
import type { UsageProbe } from '../../../../agent/src/probes/usage/usage-probe.js';
import { FakeSnmp } from '../../../helpers/fake-snmp.js';
import { captureLogger, FakeClock, fakeFiles } from '../../../helpers/fakes.js';
import { BOOT_A, ROUTES, settle, signal } from './usage-fixture.js';

function build(usage: Record<string, unknown>, tree: Record<string, string>, snmp = new FakeSnmp()) {
  const config = agentConfigSchema.parse({ siteId: 's1', probes: { usage } }).probes.usage;
  const clock = new FakeClock();
  const trafficMeter = createTrafficMeter();
  const { log, lines } = captureLogger();
  const probe: UsageProbe = buildUsageProbe(config, {
    clock,
    files: fakeFiles(tree),
    snmp,
    trafficMeter,
    // A budget of 5 MB a month with 1.2 MB spent.
    budget: { usage: () => ({ budgetUsedBytes: 1_200_000, budgetCapBytes: 5_000_000 }) },
    log,
    paths: defaultInterfaceCounterPaths,
  });
  return { probe, clock, trafficMeter, lines };
}

describe('usage probe', () => {
  it('reports the interval, the agent bytes apart, and the data budget spent', async () => {
    const tree: Record<string, string> = {
      '/proc/net/route': ROUTES,
      '/proc/sys/kernel/random/boot_id': BOOT_A,
      '/sys/class/net/eth1/statistics/rx_bytes': '1000',
      '/sys/class/net/eth1/statistics/tx_bytes': '1000',
    };
    const { probe, clock, trafficMeter } = build({}, tree);
    trafficMeter.addTx(700);
    const first = await probe.measure(signal);
    expect(first).toMatchObject({ source: 'interface', rxBytes: null, error: 'no_baseline', agentTxBytes: 700 });
    tree['/sys/class/net/eth1/statistics/rx_bytes'] = '91000';
    tree['/sys/class/net/eth1/statistics/tx_bytes'] = '11000';
    trafficMeter.addRx(300);
    trafficMeter.addTx(900);
    clock.advance(60_000);
    await settle();
    const section = usageSectionSchema.parse(await probe.measure(signal));
    expect(section).toEqual({
      source: 'interface',
      interface: 'eth1',
      intervalMs: 60_000,
      rxBytes: 90_000,
      txBytes: 10_000,
      peakRxBitsPerSec: expect.any(Number),
      peakTxBitsPerSec: expect.any(Number),
      agentRxBytes: 300,
      agentTxBytes: 900,
      counterReset: false,
      budgetUsedBytes: 1_200_000,
      budgetCapBytes: 5_000_000,
      error: null,
    });
    expect(section.peakRxBitsPerSec).toBeGreaterThanOrEqual(12_000);
    probe.stop();
    expect(clock.pendingTimers).toBe(0);
  });

  it('gives null figures and a code when the interface is absent, logging once, not every cycle', async () => {
    const { probe, clock, lines } = build({ interface: 'wwan0' }, { '/proc/sys/kernel/random/boot_id': BOOT_A });
    for (let i = 0; i < 5; i++) {
      const section = await probe.measure(signal);
      expect(usageSectionSchema.parse(section)).toMatchObject({
        source: 'interface',
        interface: null,
        rxBytes: null,
        txBytes: null,
        peakRxBitsPerSec: null,
        counterReset: false,
        agentRxBytes: 0,
        error: 'interface_missing',
      });
      clock.advance(60_000);
      await settle();
    }
    const failures = lines.filter((l) => l.event === 'probe_failed');
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ module: 'usage', code: 'interface_missing' });
    probe.stop();
  });

  it('reads the router over SNMP when configured so, and says snmp_timeout when it does not answer', async () => {
    const snmp = new FakeSnmp()
      .set('1.3.6.1.2.1.31.1.1.1.1.3', 'wan')
      .set('1.3.6.1.2.1.1.3.0', 100_000n)
      .set('1.3.6.1.2.1.31.1.1.1.6.3', 10n ** 12n)
      .set('1.3.6.1.2.1.31.1.1.1.10.3', 10n ** 11n);
    const { probe, clock } = build(
      { source: 'snmp', peakSampleSec: 60, snmp: { host: '127.0.0.1', ifName: 'wan' } },
      {},
      snmp,
    );
    expect(await probe.measure(signal)).toMatchObject({ source: 'snmp', error: 'no_baseline' });
    snmp.set('1.3.6.1.2.1.1.3.0', 106_000n).set('1.3.6.1.2.1.31.1.1.1.6.3', 10n ** 12n + 5_000_000n);
    clock.advance(60_000);
    await settle();
    expect(await probe.measure(signal)).toMatchObject({
      source: 'snmp',
      interface: 'wan',
      rxBytes: 5_000_000,
      txBytes: 0,
      counterReset: false,
      error: null,
    });
    snmp.failWith = 'snmp_timeout';
    expect(await probe.measure(signal)).toMatchObject({ source: 'snmp', rxBytes: null, error: 'snmp_timeout' });
    probe.stop();
  });
});
