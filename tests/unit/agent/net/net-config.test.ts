import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agentConfigSchema, agentEnvMap, openAgent } from '@pantau/agent';
import { loadConfig } from '@pantau/shared';
import { describe, expect, it } from 'vitest';
import { createSampler } from '../../../../agent/src/sampler.js';
import { fakeAgentIo } from '../../../helpers/agent-io.js';
import { FakeClock, fakeHost, ManualScheduler, silentLogger } from '../../../helpers/fakes.js';
import { FakeConnector } from '../../../helpers/net-fakes.js';

describe('network config', () => {
  it('defaults: gateway detection on, every role each sample, no budget cap, no throughput test', () => {
    const config = agentConfigSchema.parse({ siteId: 's1' });
    expect(config.probes.latency).toMatchObject({
      detectGateway: true,
      everySamplesByRole: { gateway: 1, terminal: 1, internet: 1, noc: 1 },
    });
    expect(config.budget).toEqual({ monthlyBytes: 0 });
    expect(config.probes.throughput).toMatchObject({ enabled: false, maxBytes: 10_000_000, maxSeconds: 15 });
    expect(config.probes.throughput.nightWindow).toEqual({ fromHour: 1, toHour: 5 });
  });

  it('turns the throughput test on when an endpoint is configured, unless disabled', () => {
    const on = agentConfigSchema.parse({
      siteId: 's1',
      probes: { throughput: { endpoint: 'http://noc.example:8080/speedtest' } },
    });
    expect(on.probes.throughput.enabled).toBe(true);
    const off = agentConfigSchema.parse({
      siteId: 's1',
      probes: { throughput: { endpoint: 'http://noc.example/speedtest', enabled: false } },
    });
    expect(off.probes.throughput.enabled).toBe(false);
  });

  it('names the field for an enabled test without endpoint, a tcp target without port, a bad URL', () => {
    const noEndpoint = loadConfig(agentConfigSchema, {
      env: { PANTAU_SITE_ID: 's1', PANTAU_THROUGHPUT_ENABLED: 'true' },
      envMap: agentEnvMap,
    });
    expect(!noEndpoint.ok && noEndpoint.message).toMatch(
      /probes\.throughput\.endpoint: an enabled throughput test needs an endpoint/,
    );
    const noPort = loadConfig(agentConfigSchema, {
      env: { PANTAU_SITE_ID: 's1', PANTAU_LATENCY_TARGETS: '[{"role":"noc","host":"noc.example","method":"tcp"}]' },
      envMap: agentEnvMap,
    });
    expect(!noPort.ok && noPort.message).toMatch(
      /probes\.latency\.targets\.0\.port: a target with method tcp needs a port/,
    );
    const badUrl = loadConfig(agentConfigSchema, {
      env: { PANTAU_SITE_ID: 's1', PANTAU_THROUGHPUT_ENDPOINT: 'ftp://noc.example' },
      envMap: agentEnvMap,
    });
    expect(!badUrl.ok && badUrl.message).toMatch(/probes\.throughput\.endpoint/);
  });

  it('takes the budget and gateway detection from the environment', () => {
    const result = loadConfig(agentConfigSchema, {
      env: { PANTAU_SITE_ID: 's1', PANTAU_BUDGET_MONTHLY_BYTES: '5000000', PANTAU_LATENCY_DETECT_GATEWAY: 'false' },
      envMap: agentEnvMap,
    });
    expect(result.ok && result.value.budget.monthlyBytes).toBe(5_000_000);
    expect(result.ok && result.value.probes.latency.detectGateway).toBe(false);
  });
});

describe('agent wiring', () => {
  it('schedules the speed test, probes TCP targets, counts the budget, omits an empty throughput section', async () => {
    const config = agentConfigSchema.parse({
      siteId: 's1',
      dataDir: mkdtempSync(join(tmpdir(), 'pantau-net-agent-')),
      mqtt: { url: 'mqtt://127.0.0.1:1' },
      budget: { monthlyBytes: 1_000_000 },
      probes: {
        latency: {
          detectGateway: false,
          targets: [{ role: 'noc', host: '10.3.3.3', method: 'tcp', port: 8883, count: 2 }],
        },
        throughput: { endpoint: 'http://127.0.0.1:9/speedtest', nightWindow: { fromHour: 2, toHour: 3 } },
      },
    });
    const scheduler = new ManualScheduler();
    const agent = await openAgent(
      config,
      fakeAgentIo({
        calendar: scheduler,
        connector: new FakeConnector({ '10.3.3.3': [7, 9] }),
        random: () => 0.25,
      }),
    );
    await agent.start();
    try {
      expect(scheduler.jobs.map((j) => j.when)).toContainEqual({ kind: 'daily', minuteOfDay: 2 * 60 + 15 });
      await agent.cycle();
      expect(agent.budget.usage()).toEqual({ budgetUsedBytes: 2 * 328, budgetCapBytes: 1_000_000 });
    } finally {
      await agent.stop();
    }
    expect(scheduler.jobs).toEqual([]);
  });
});

describe('sampler and occasional probes', () => {
  it('leaves out the section of a probe that has nothing this time', async () => {
    const clock = new FakeClock();
    const sampler = createSampler({
      probes: [
        { name: 'throughput', measure: async () => undefined },
        { name: 'uptime', measure: async () => ({ systemUptimeMs: 1, agentUptimeMs: 1, error: null }) },
      ],
      clock,
      host: fakeHost(),
      bootId: 'boot',
      nextSeq: () => 0,
      probeTimeoutMs: 1000,
      agentStartMonotonicMs: 0,
      log: silentLogger(),
    });
    const sample = await sampler.take();
    expect(Object.keys(sample.probes ?? {})).toEqual(['uptime']);
  });
});
