import { agentConfigSchema, execFileRunner, nodeFileReader, systemClock } from '@pantau/agent';
import { clientsSectionSchema, usageSectionSchema } from '@pantau/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClientsProbe } from '../../agent/src/probes/clients/build-clients-probe.js';
import { buildUsageProbe } from '../../agent/src/probes/usage/build-usage-probe.js';
import { createSnmpCounterSource, readRouterUptimeMs } from '../../agent/src/probes/usage/snmp-counters.js';
import { createTrafficMeter } from '../../agent/src/probes/usage/traffic-meter.js';
import { createNetSnmpClient } from '../../agent/src/snmp/net-snmp-client.js';
import { captureLogger } from '../helpers/fakes.js';
import { loopbackTraffic } from '../helpers/loopback-traffic.js';
import { type Snmpd, startSnmpd } from '../helpers/snmpd.js';
import { freeUdpPort } from '../helpers/udp-ports.js';
import { waitFor } from '../helpers/wait.js';

const signal = new AbortController().signal;

describe('usage over SNMP against a real snmpd', () => {
  let snmpd: Snmpd;
  const client = createNetSnmpClient(systemClock);
  const target = () => ({ host: '127.0.0.1', port: snmpd.port, community: snmpd.community, timeoutMs: 1000 });

  beforeAll(async () => {
    snmpd = await startSnmpd();
  });
  afterAll(async () => {
    await snmpd?.stop();
  });

  it('finds lo by name and sees its 64-bit counters move with loopback traffic', async () => {
    const source = createSnmpCounterSource({ client, target: target(), select: { ifIndex: null, ifName: 'lo' } });
    const before = await source.read(signal);
    if (!before.ok) throw new Error(`${before.code}: ${before.message}`);
    expect(before.value.interface).toBe('lo');
    expect(before.value.ownerUptimeMs).toBeGreaterThanOrEqual(0);
    await loopbackTraffic(2_000_000);
    // snmpd caches the interface table for a few seconds; poll until the new figures show.
    const after = await waitFor('ifHCInOctets of lo to grow', async () => {
      const now = await source.read(signal);
      return now.ok && now.value.rxBytes >= before.value.rxBytes + 2_000_000n ? now.value : null;
    });
    expect(after.txBytes).toBeGreaterThanOrEqual(before.value.txBytes + 2_000_000n);
  });

  it('gives the usage probe a section with the traffic through the router', async () => {
    const config = agentConfigSchema.parse({
      siteId: 's1',
      probes: { usage: { source: 'snmp', peakSampleSec: 1, snmp: { ...target(), ifName: 'lo' } } },
    }).probes.usage;
    const probe = buildUsageProbe(config, {
      clock: systemClock,
      files: nodeFileReader,
      snmp: client,
      trafficMeter: createTrafficMeter(),
      budget: { usage: () => ({ budgetUsedBytes: 0, budgetCapBytes: null }) },
      log: captureLogger().log,
    });
    try {
      expect(await probe.measure(signal)).toMatchObject({ source: 'snmp', error: 'no_baseline' });
      await loopbackTraffic(1_000_000);
      // snmpd refreshes its interface table every few seconds, so one short interval carries seconds
      // of the machine's loopback traffic (other tests' too). Samples a second apart keep that step
      // under the plausible-rate bound (1 Gbit/s) that would otherwise call it a counter reset.
      const section = await waitFor(
        'the traffic to show in a sample',
        async () => {
          const s = usageSectionSchema.parse(await probe.measure(signal));
          return s.error === null && !s.counterReset && (s.rxBytes ?? 0) > 0 ? s : null;
        },
        30_000,
        1000,
      );
      expect(section).toMatchObject({ source: 'snmp', interface: 'lo' });
      expect(section.peakRxBitsPerSec).toBeGreaterThan(0);
    } finally {
      probe.stop();
    }
  });

  it("exposes the router's sysUpTime", async () => {
    const uptime = await readRouterUptimeMs(client, target(), signal);
    expect(uptime.ok && uptime.value).toBeGreaterThanOrEqual(0);
  });

  it('says snmp_no_such_object for an interface index the agent does not have', async () => {
    const source = createSnmpCounterSource({ client, target: target(), select: { ifIndex: 999_999, ifName: null } });
    expect(await source.read(signal)).toMatchObject({ ok: false, code: 'snmp_no_such_object' });
  });

  it("counts the agent's neighbour table over SNMP without publishing an address", async () => {
    const { log, lines } = captureLogger();
    const config = agentConfigSchema.parse({
      siteId: 's1',
      probes: { clients: { source: 'snmp', snmp: target() } },
    }).probes.clients;
    const probe = buildClientsProbe(config, {
      clock: systemClock,
      files: nodeFileReader,
      snmp: client,
      commands: execFileRunner,
      salt: new Uint8Array(16).fill(1),
      log,
    });
    const section = clientsSectionSchema.parse(await probe.measure(signal));
    expect(section.error).toBeNull();
    expect(section.clientsInterval).toBeGreaterThanOrEqual(0);
    const text = JSON.stringify([section, lines]);
    expect(text).not.toMatch(/([0-9a-f]{2}:){5}[0-9a-f]{2}/i);
    expect(text).not.toMatch(/\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/);
  });
});

describe('an SNMP agent that does not answer', () => {
  it('gives snmp_timeout within the timeout, for the client and the usage probe', async () => {
    const port = await freeUdpPort();
    const client = createNetSnmpClient(systemClock);
    const target = { host: '127.0.0.1', port, community: 'public', timeoutMs: 400 };
    const startedMs = Date.now();
    expect(await client.get(target, ['1.3.6.1.2.1.1.3.0'], signal)).toMatchObject({ ok: false, code: 'snmp_timeout' });
    expect(Date.now() - startedMs).toBeLessThan(1500);

    const config = agentConfigSchema.parse({
      siteId: 's1',
      probes: { usage: { source: 'snmp', snmp: { ...target, ifIndex: 1 } } },
    }).probes.usage;
    const probe = buildUsageProbe(config, {
      clock: systemClock,
      files: nodeFileReader,
      snmp: client,
      trafficMeter: createTrafficMeter(),
      budget: { usage: () => ({ budgetUsedBytes: 0, budgetCapBytes: null }) },
      log: captureLogger().log,
    });
    try {
      const section = usageSectionSchema.parse(await probe.measure(signal));
      expect(section).toMatchObject({ source: 'snmp', rxBytes: null, txBytes: null, error: 'snmp_timeout' });
    } finally {
      probe.stop();
    }
  });

  it('gives up at once when the probe is aborted', async () => {
    const port = await freeUdpPort();
    const client = createNetSnmpClient(systemClock);
    const controller = new AbortController();
    const startedMs = Date.now();
    const pending = client.walk(
      { host: '127.0.0.1', port, community: 'public', timeoutMs: 5000 },
      '1.3.6.1.2.1.2.2.1.2',
      10,
      controller.signal,
    );
    setTimeout(() => controller.abort(), 100);
    expect(await pending).toMatchObject({ ok: false, code: 'snmp_timeout' });
    expect(Date.now() - startedMs).toBeLessThan(1000);
  });
});
