import { agentConfigSchema, execFileRunner, nodeFileReader, systemClock } from '@pantau/agent';
import { clientsSectionSchema, usageSectionSchema } from '@pantau/shared';
import { describe, expect, it } from 'vitest';
import { buildClientsProbe } from '../../agent/src/probes/clients/build-clients-probe.js';
import { buildUsageProbe } from '../../agent/src/probes/usage/build-usage-probe.js';
import {
  createInterfaceCounterSource,
  defaultInterfaceCounterPaths,
} from '../../agent/src/probes/usage/interface-counters.js';
import { createTrafficMeter } from '../../agent/src/probes/usage/traffic-meter.js';
import { createNetSnmpClient } from '../../agent/src/snmp/net-snmp-client.js';
import { captureLogger } from '../helpers/fakes.js';
import { loopbackTraffic } from '../helpers/loopback-traffic.js';

const signal = new AbortController().signal;

describe("this machine's kernel counters", () => {
  it('reads the counters of lo from sysfs and sees them grow with loopback traffic', async () => {
    const source = createInterfaceCounterSource({
      files: nodeFileReader,
      paths: defaultInterfaceCounterPaths,
      interface: 'lo',
    });
    const before = await source.read(signal);
    if (!before.ok) throw new Error(`${before.code}: ${before.message}`);
    expect(before.value.epoch).toMatch(/^[0-9a-f-]{36}$/);
    await loopbackTraffic(3_000_000);
    const after = await source.read(signal);
    if (!after.ok) throw new Error(after.message);
    expect(after.value.rxBytes - before.value.rxBytes).toBeGreaterThanOrEqual(3_000_000n);
  });

  it('gives the usage probe a real section for lo, with the agent bytes from the meter', async () => {
    const config = agentConfigSchema.parse({ siteId: 's1', probes: { usage: { interface: 'lo' } } }).probes.usage;
    const trafficMeter = createTrafficMeter();
    const probe = buildUsageProbe(config, {
      clock: systemClock,
      files: nodeFileReader,
      snmp: createNetSnmpClient(systemClock),
      trafficMeter,
      budget: { usage: () => ({ budgetUsedBytes: 0, budgetCapBytes: null }) },
      log: captureLogger().log,
    });
    try {
      expect(await probe.measure(signal)).toMatchObject({ error: 'no_baseline' });
      await loopbackTraffic(1_000_000);
      trafficMeter.addTx(1234);
      const section = usageSectionSchema.parse(await probe.measure(signal));
      expect(section).toMatchObject({ source: 'interface', interface: 'lo', counterReset: false, error: null });
      expect(section.rxBytes).toBeGreaterThanOrEqual(1_000_000);
      expect(section.agentTxBytes).toBe(1234);
      expect(section.peakRxBitsPerSec).toBeGreaterThan(0);
    } finally {
      probe.stop();
    }
  });

  it('says interface_missing for an interface this machine does not have', async () => {
    const source = createInterfaceCounterSource({
      files: nodeFileReader,
      paths: defaultInterfaceCounterPaths,
      interface: 'pantau-none0',
    });
    expect(await source.read(signal)).toMatchObject({ ok: false, code: 'interface_missing' });
  });

  it("reads this machine's neighbour table", async () => {
    const config = agentConfigSchema.parse({ siteId: 's1', probes: { clients: { ipNeigh: true } } }).probes.clients;
    const { log, lines } = captureLogger();
    const probe = buildClientsProbe(config, {
      clock: systemClock,
      files: nodeFileReader,
      snmp: createNetSnmpClient(systemClock),
      commands: execFileRunner,
      salt: new Uint8Array(16).fill(9),
      log,
    });
    const section = clientsSectionSchema.parse(await probe.measure(signal));
    expect(section).toMatchObject({ source: 'neighbour', error: null });
    expect(JSON.stringify([section, lines])).not.toMatch(/([0-9a-f]{2}:){5}[0-9a-f]{2}/i);
  });
});
