import { agentConfigSchema, agentEnvMap } from '@pantau/agent';
import { loadConfig } from '@pantau/shared';
import { describe, expect, it } from 'vitest';
import { createProbes } from '../../../../agent/src/probes/registry.js';
import { FakeClock } from '../../../helpers/fakes.js';
import { fakeProbeDeps } from '../../../helpers/probe-deps.js';

describe('usage and clients config', () => {
  it('enables both by default, on the default-route interface and the neighbour table', () => {
    const config = agentConfigSchema.parse({ siteId: 's1' });
    expect(config.probes.usage).toEqual({
      enabled: true,
      source: 'interface',
      counterBits: 64,
      peakSampleSec: 5,
      maxLinkBitsPerSec: 1_000_000_000,
    });
    expect(config.probes.clients).toEqual({
      enabled: true,
      source: 'neighbour',
      ipNeigh: false,
      leasesFile: '/var/lib/misc/dnsmasq.leases',
      maxTracked: 4096,
    });
  });

  it('names the field when source snmp lacks its router or interface', () => {
    const noRouter = loadConfig(agentConfigSchema, {
      env: { PANTAU_SITE_ID: 's1', PANTAU_USAGE_SOURCE: 'snmp' },
      envMap: agentEnvMap,
    });
    expect(!noRouter.ok && noRouter.message).toMatch(/probes\.usage\.snmp: source snmp needs/);
    const noIf = agentConfigSchema.safeParse({
      siteId: 's1',
      probes: { usage: { source: 'snmp', snmp: { host: '192.168.1.1' } } },
    });
    expect(noIf.success).toBe(false);
    const bad = agentConfigSchema.safeParse({ siteId: 's1', probes: { usage: { interface: '../../etc' } } });
    expect(bad.success).toBe(false);
    const bits = agentConfigSchema.safeParse({ siteId: 's1', probes: { usage: { counterBits: 16 } } });
    expect(bits.success).toBe(false);
  });

  it('registers both probes, and a stop releases the usage probe timer', async () => {
    const config = agentConfigSchema.parse({ siteId: 's1', probes: { latency: { enabled: false } } });
    const clock = new FakeClock();
    const deps = fakeProbeDeps({ clock });
    const probes = createProbes(config, deps);
    expect(probes.map((p) => p.name)).toEqual(['uptime', 'host', 'usage', 'clients']);
    const usage = probes.find((p) => p.name === 'usage');
    await usage?.measure(new AbortController().signal);
    expect(clock.pendingTimers).toBe(1);
    for (const probe of probes) probe.stop?.();
    expect(clock.pendingTimers).toBe(0);
  });
});
