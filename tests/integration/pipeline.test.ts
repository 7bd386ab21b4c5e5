import { nodeFileReader } from '@pantau/agent';
import type { Collector } from '@pantau/collector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Mosquitto, startMosquitto } from '../helpers/mosquitto.js';
import { buildSite } from '../helpers/site.js';
import { buildAgent, startCollector } from '../helpers/stack.js';
import { waitFor } from '../helpers/wait.js';

/** The same path through both brokers a user can run: Mosquitto, and the collector's embedded one. */
describe.each(['mosquitto', 'embedded'] as const)('agent to collector through %s', (brokerKind) => {
  let mosquitto: Mosquitto | undefined;
  let collector: Collector;

  beforeAll(async () => {
    mosquitto = brokerKind === 'mosquitto' ? await startMosquitto() : undefined;
    collector = await startCollector(mosquitto?.url);
  });
  afterAll(async () => {
    await collector?.stop();
    await mosquitto?.stop();
  });

  it('stores each sample the agent takes exactly once, with real latency and uptime', async () => {
    const siteId = `pipe-${brokerKind}`;
    const { agent, cycles } = await buildAgent(siteId, collector.brokerUrl ?? '');
    await agent.start();
    await waitFor('the birth status', async () =>
      (await collector.store.listSites()).find((s) => s.siteId === siteId && s.status?.state === 'online'),
    );
    for (let i = 0; i < 3; i++) await cycles.fire();
    const stored = await waitFor('three samples', async () => {
      const samples = await collector.store.listSamples(siteId);
      return samples.length >= 3 ? samples : null;
    });
    expect(stored.map((s) => s.seq)).toEqual([0, 1, 2]);
    expect(agent.stats).toMatchObject({ samplesTaken: 3, spoolDepth: 0, dropped: 0 });
    expect(collector.ingest.counters()).toMatchObject({ samplesStored: 3, duplicates: 0, rejected: 0 });

    const site = (await collector.store.listSites()).find((s) => s.siteId === siteId);
    const target = site?.lastSample?.probes.latency?.targets[0];
    expect(target).toMatchObject({ role: 'noc', host: '127.0.0.1', sent: 2, received: 2, lossPct: 0, error: null });
    expect(target?.rttAvgMs).toBeGreaterThan(0);
    expect(site?.lastSample?.probes.uptime?.systemUptimeMs).toBeGreaterThan(0);
    // Connected to the broker, and the noc target answered: the link is up. A new data folder
    // holds no clean-shutdown marker.
    expect(site?.lastSample?.probes.uptime).toMatchObject({ linkUp: true, previousRunClean: false });
    expect(site?.lastSample?.probes.uptime?.linkUptimeMs).toBeGreaterThanOrEqual(0);

    await agent.stop();
    await waitFor('the shutdown status', async () =>
      (await collector.store.listSites()).find((s) => s.siteId === siteId && s.status?.reason === 'shutdown'),
    );
    expect(await collector.store.listSamples(siteId)).toHaveLength(3);
  });
});

describe("the agent's own telemetry bytes", () => {
  let mosquitto: Mosquitto;
  let collector: Collector;
  beforeAll(async () => {
    mosquitto = await startMosquitto();
    collector = await startCollector(mosquitto.url);
  });
  afterAll(async () => {
    await collector?.stop();
    await mosquitto?.stop();
  });

  it("are counted from the MQTT socket and reported apart from the site's traffic", async () => {
    const siteId = 'pipe-wire-bytes';
    const { agent, cycles } = await buildSite(
      siteId,
      mosquitto.url,
      {
        probes: {
          latency: { detectGateway: false, targets: [{ role: 'internet', host: '1.1.1.1' }] },
          usage: { interface: 'lo' },
        },
      },
      { io: { files: nodeFileReader } },
    );
    await agent.start();
    await waitFor('the birth status', async () =>
      (await collector.store.listSites()).find((s) => s.siteId === siteId && s.status?.state === 'online'),
    );
    const usages = [];
    for (let i = 0; i < 3; i++) {
      await cycles.fire();
      await waitFor(`sample ${i}`, async () => ((await collector.store.listSamples(siteId)).length > i ? true : null));
      const site = (await collector.store.listSites()).find((s) => s.siteId === siteId);
      usages.push(site?.lastSample?.probes.usage);
    }
    // Sample 0 has no usage baseline yet; each later one carries what the previous batch cost.
    expect(usages[0]?.error).toBe('no_baseline');
    for (const usage of usages.slice(1)) {
      expect(usage?.error).toBeNull();
      // A columnar batch of one sample is a few hundred bytes; its PUBACK is four.
      expect(usage?.agentTxBytes).toBeGreaterThan(100);
      expect(usage?.agentRxBytes).toBeGreaterThanOrEqual(4);
      expect(usage?.budgetUsedBytes).toBeGreaterThan(0);
    }
    await agent.stop();
  });
});
