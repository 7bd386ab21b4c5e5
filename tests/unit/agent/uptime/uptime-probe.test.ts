import { agentConfigSchema, agentEnvMap } from '@pantau/agent';
import { fail, loadConfig, ok } from '@pantau/shared';
import { describe, expect, it } from 'vitest';
import { createLogLimiter } from '../../../../agent/src/probes/log-limiter.js';
import { createProbes } from '../../../../agent/src/probes/registry.js';
import { routerSnmpTarget } from '../../../../agent/src/probes/uptime/build-uptime-probe.js';
import { createLinkState } from '../../../../agent/src/probes/uptime/link-state.js';
import { createUptimeProbe } from '../../../../agent/src/probes/uptime/uptime-probe.js';
import { OID } from '../../../../agent/src/probes/usage/snmp-counters.js';
import { FakeSnmp } from '../../../helpers/fake-snmp.js';
import { captureLogger, FakeClock, fakeHost } from '../../../helpers/fakes.js';
import { fakeProbeDeps } from '../../../helpers/probe-deps.js';
import { dishStatusResponse } from '../../../helpers/starlink.js';

const signal = () => new AbortController().signal;

describe('uptime probe', () => {
  it('reports every uptime it has a source for, and whether the previous run ended cleanly', async () => {
    const clock = new FakeClock(0, 10_000);
    const link = createLinkState(clock);
    link.mqttConnected();
    clock.advance(90_000);
    const probe = createUptimeProbe({
      host: fakeHost(),
      clock,
      agentStartMonotonicMs: 0,
      previousRunClean: false,
      link,
      router: { read: async () => ok(3_000_000) },
      terminal: { kind: 'starlink', read: async () => ok(648_000_000) },
    });
    expect(await probe.measure(signal())).toEqual({
      systemUptimeMs: 3_600_000,
      agentUptimeMs: 100_000,
      linkUp: true,
      linkUptimeMs: 90_000,
      previousRunClean: false,
      terminalUptimeMs: 648_000_000,
      routerUptimeMs: 3_000_000,
      error: null,
    });
  });

  it('gives null and the first failure code (system, terminal, router), each source logged once an interval', async () => {
    const clock = new FakeClock(0, 0);
    const { log, lines } = captureLogger('warn');
    const probe = createUptimeProbe({
      host: fakeHost(),
      clock,
      agentStartMonotonicMs: 0,
      previousRunClean: true,
      router: { read: async () => fail('snmp_timeout', 'no answer') },
      terminal: { kind: 'starlink', read: async () => fail('terminal_unreachable', 'ECONNREFUSED') },
      log: { logger: log, limiter: createLogLimiter(clock, 15 * 60_000) },
    });
    const first = await probe.measure(signal());
    expect(first).toMatchObject({
      systemUptimeMs: 3_600_000,
      terminalUptimeMs: null,
      routerUptimeMs: null,
      previousRunClean: true,
      error: 'terminal_unreachable',
    });
    clock.advance(60_000);
    await probe.measure(signal());
    expect(lines.map((l) => [l.source, l.code])).toEqual([
      ['terminal', 'terminal_unreachable'],
      ['router', 'snmp_timeout'],
    ]);
    clock.advance(15 * 60_000);
    await probe.measure(signal());
    expect(lines).toHaveLength(4);
  });

  it('asks the sources at once and bounds them with the signal', async () => {
    const clock = new FakeClock(0, 0);
    let aborted = false;
    const probe = createUptimeProbe({
      host: fakeHost(),
      clock,
      agentStartMonotonicMs: 0,
      terminal: {
        kind: 'starlink',
        read: (s) =>
          new Promise((resolve) =>
            s.addEventListener('abort', () => {
              aborted = true;
              resolve(fail('terminal_timeout', 'aborted'));
            }),
          ),
      },
    });
    const controller = new AbortController();
    const measured = probe.measure(controller.signal);
    controller.abort();
    expect(await measured).toMatchObject({
      systemUptimeMs: 3_600_000,
      terminalUptimeMs: null,
      error: 'terminal_timeout',
    });
    expect(aborted).toBe(true);
  });
});

describe('uptime config', () => {
  it('defaults to no terminal and no router', () => {
    const config = agentConfigSchema.parse({ siteId: 's1' });
    expect(config.probes.uptime).toEqual({ enabled: true, terminal: { kind: 'none' } });
    expect(routerSnmpTarget(config.probes)).toBeNull();
  });

  it('fills in the Starlink dish address and port', () => {
    const config = agentConfigSchema.parse({ siteId: 's1', probes: { uptime: { terminal: { kind: 'starlink' } } } });
    expect(config.probes.uptime.terminal).toEqual({
      kind: 'starlink',
      host: '192.168.100.1',
      port: 9200,
      timeoutMs: 2000,
    });
    expect(
      agentConfigSchema.safeParse({ siteId: 's1', probes: { uptime: { terminal: { kind: 'vsat' } } } }).success,
    ).toBe(false);
  });

  it('turns the Starlink source on from the environment', () => {
    const result = loadConfig(agentConfigSchema, {
      env: { PANTAU_SITE_ID: 's1', PANTAU_UPTIME_TERMINAL_KIND: 'starlink' },
      envMap: agentEnvMap,
    });
    expect(result.ok && result.value.probes.uptime.terminal).toEqual({
      kind: 'starlink',
      host: '192.168.100.1',
      port: 9200,
      timeoutMs: 2000,
    });
  });

  it('asks the router of probes.uptime.router, else the one the usage or clients probe asks over SNMP', () => {
    const usage = { source: 'snmp', snmp: { host: '192.168.1.1', community: 'site', ifIndex: 1 } };
    const viaUsage = agentConfigSchema.parse({ siteId: 's1', probes: { usage } });
    expect(routerSnmpTarget(viaUsage.probes)).toMatchObject({ host: '192.168.1.1', community: 'site', port: 161 });
    const viaClients = agentConfigSchema.parse({
      siteId: 's1',
      probes: { clients: { source: 'snmp', snmp: { host: '192.168.88.1' } } },
    });
    expect(routerSnmpTarget(viaClients.probes)).toMatchObject({ host: '192.168.88.1' });
    const explicit = agentConfigSchema.parse({
      siteId: 's1',
      probes: { usage, uptime: { router: { host: '10.0.0.1', timeoutMs: 500 } } },
    });
    expect(routerSnmpTarget(explicit.probes)).toMatchObject({ host: '10.0.0.1', timeoutMs: 500 });
  });

  it('builds the probe from config: router over SNMP, terminal over gRPC', async () => {
    const config = agentConfigSchema.parse({
      siteId: 's1',
      probes: {
        latency: { enabled: false },
        usage: { enabled: false },
        clients: { enabled: false },
        power: { enabled: false },
        host: { enabled: false },
        uptime: { router: { host: '192.168.1.1' }, terminal: { kind: 'starlink' } },
      },
    });
    const snmp = new FakeSnmp().set(OID.sysUpTime, 123_456n);
    const asked: string[] = [];
    const deps = fakeProbeDeps({
      snmp,
      previousRunClean: true,
      grpc: {
        call: async (request) => {
          asked.push(`${request.host}:${request.port}${request.path}`);
          return ok(dishStatusResponse(7200));
        },
      },
    });
    const probes = createProbes(config, deps);
    expect(probes.map((p) => p.name)).toEqual(['uptime']);
    const section = await probes[0]?.measure(signal());
    expect(section).toMatchObject({
      routerUptimeMs: 1_234_560,
      terminalUptimeMs: 7_200_000,
      previousRunClean: true,
      error: null,
    });
    expect(asked).toEqual(['192.168.100.1:9200/SpaceX.API.Device.Device/Handle']);
  });
});
