import type { Logger, ProbeName } from '@pantau/shared';
import { buildClientsProbe } from '../clients/build-clients-probe.js';
import type { Clock } from '../clock.js';
import type { AgentConfig } from '../config/schema.js';
import type { CommandRunner } from '../host/command-runner.js';
import type { FileReader } from '../host/file-reader.js';
import type { HostInfo } from '../host/host-info.js';
import type { SnmpClient } from '../snmp/snmp-client.js';
import { buildUsageProbe } from '../usage/build-usage-probe.js';
import type { TrafficMeter } from '../usage/traffic-meter.js';
import { createLatencyProbe } from './latency/latency-probe.js';
import type { Pinger } from './latency/pinger.js';
import type { PowerIo } from './power/power-io.js';
import { createPowerProbe } from './power/power-probe.js';
import type { AnyProbe } from './probe.js';
import { createUptimeProbe } from './uptime-probe.js';

/** Everything a probe may need from the outside world. */
export interface ProbeDeps {
  readonly clock: Clock;
  readonly host: HostInfo;
  readonly pinger: Pinger;
  readonly agentStartMonotonicMs: number;
  /** Serial ports, commands and sysfs for the power probe. */
  readonly powerIo: PowerIo;
  /** /proc and /sys (usage: interface counters; clients: neighbour table, leases). */
  readonly files: FileReader;
  readonly snmp: SnmpClient;
  readonly commands: CommandRunner;
  /** The agent's own traffic, fed by the publisher, reported by the usage probe. */
  readonly trafficMeter: TrafficMeter;
  /** Random per process: salts the clients probe's identity hashes. */
  readonly salt: Uint8Array;
  readonly log: Logger;
}

type ProbeConfigs = AgentConfig['probes'];
type Factory = (config: AgentConfig, deps: ProbeDeps) => AnyProbe;

/**
 * Name to factory: the one list of probes the agent runs. It has one entry per probe in the config
 * schema (`probes.<name>`), and every name is a section of the wire contract.
 */
export const probeFactories: { readonly [N in keyof ProbeConfigs & ProbeName]: Factory } = {
  latency: (config, deps) => createLatencyProbe({ pinger: deps.pinger, targets: config.probes.latency.targets }),
  uptime: (_config, deps) => createUptimeProbe(deps),
  power: (config, deps) =>
    createPowerProbe({
      config: config.probes.power,
      io: deps.powerIo,
      clock: deps.clock,
      log: deps.log.child({ module: 'power' }),
    }),
  usage: (config, deps) => buildUsageProbe(config.probes.usage, deps),
  clients: (config, deps) => buildClientsProbe(config.probes.clients, deps),
};

/** The enabled probes, in a stable order. */
export function createProbes(config: AgentConfig, deps: ProbeDeps): AnyProbe[] {
  return (Object.keys(probeFactories) as (keyof typeof probeFactories)[])
    .filter((name) => config.probes[name].enabled)
    .map((name) => probeFactories[name](config, deps));
}
