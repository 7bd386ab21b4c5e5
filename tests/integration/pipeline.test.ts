import { nodeFileReader } from '@pantau/agent';
import type { Collector } from '@pantau/collector';
import { decodePayload, type UsageSection } from '@pantau/shared';
import mqtt from 'mqtt';
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
    const figures = site?.lastSample?.figures;
    expect(figures).toMatchObject({ lossNocPct: 0, rttGatewayMs: null, rttInternetMs: null });
    expect(figures?.rttNocMs).toBeGreaterThan(0);
    expect(figures?.systemUptimeMs).toBeGreaterThan(0);
    expect(figures?.errors ?? '').not.toContain('latency');
    // Connected to the broker, and the noc target answered: the link is up. A new data folder
    // holds no clean-shutdown marker.
    expect(figures).toMatchObject({ linkUp: true, previousRunClean: false });

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
    // The usage section as the site sent it: the store keeps figures as columns, the whole sample in its payload.
    const watcher = await mqtt.connectAsync(mosquitto.url, { clientId: 'watch-wire-bytes' });
    const usages: (UsageSection | undefined)[] = [];
    watcher.on('message', (_topic, payload) => {
      const decoded = decodePayload('telemetry', payload, undefined, { siteId });
      if (decoded.ok) for (const s of decoded.value.samples) usages.push(s.probes.usage);
    });
    await watcher.subscribeAsync(`pantau/v1/site/${siteId}/telemetry`, { qos: 1 });
    await agent.start();
    await waitFor('the birth status', async () =>
      (await collector.store.listSites()).find((s) => s.siteId === siteId && s.status?.state === 'online'),
    );
    for (let i = 0; i < 3; i++) {
      await cycles.fire();
      await waitFor(`sample ${i}`, () => usages.length > i);
    }
    await watcher.endAsync();
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
