import type { Logger, ProbeName } from '@pantau/shared';
import type { DataBudget } from '../budget/data-budget.js';
import type { Clock } from '../clock.js';
import type { AgentConfig } from '../config/schema.js';
import type { CommandRunner } from '../host/command-runner.js';
import type { FileReader } from '../host/file-reader.js';
import type { HostInfo } from '../host/host-info.js';
import type { Scheduler } from '../schedule/calendar.js';
import type { SnmpClient } from '../snmp/snmp-client.js';
import { buildClientsProbe } from './clients/build-clients-probe.js';
import { PROBE_FAILURE_LOG_INTERVAL_MS } from './failure-log.js';
import type { GatewayDetector } from './latency/gateway.js';
import { createLatencyProbe } from './latency/latency-probe.js';
import type { Pinger } from './latency/pinger.js';
import type { Connector } from './latency/tcp-connector.js';
import { createLogLimiter } from './log-limiter.js';
import type { PowerIo } from './power/power-io.js';
import { createPowerProbe } from './power/power-probe.js';
import type { AnyProbe } from './probe.js';
import { createHttpTransport } from './throughput/http-transport.js';
import { nightWindowCron } from './throughput/night-window.js';
import { createThroughputProbe } from './throughput/throughput-probe.js';
import { buildUptimeProbe } from './uptime/build-uptime-probe.js';
import type { GrpcUnaryClient } from './uptime/grpc-unary.js';
import type { LinkState } from './uptime/link-state.js';
import { buildUsageProbe } from './usage/build-usage-probe.js';
import type { TrafficMeter } from './usage/traffic-meter.js';

/** The outside world as the probes reach it; the composition root passes the real ones, tests fakes. */
export interface ProbeIo {
  readonly clock: Clock;
  readonly host: HostInfo;
  readonly pinger: Pinger;
  /** Serial ports, commands and sysfs for the power probe. */
  readonly powerIo: PowerIo;
  /** /proc and /sys (usage: interface counters; clients: neighbour table, leases). */
  readonly files: FileReader;
  readonly snmp: SnmpClient;
  readonly commands: CommandRunner;
  readonly connector: Connector;
  readonly gatewayDetector: GatewayDetector;
  /** gRPC to the terminal (a Starlink dish). */
  readonly grpc: GrpcUnaryClient;
  /** Calendar jobs (the nightly speed test). */
  readonly calendar: Scheduler;
  /** A number in [0, 1), e.g. to draw the speed test's minute. */
  readonly random: () => number;
  /** Incompressible bytes for the upload test. */
  readonly randomBytes: (n: number) => Buffer;
}

/** What the agent (or the self-test) hands its probes besides the outside world. */
export interface ProbeContext {
  /** The probes' logger; each probe adds its own `module`. */
  readonly log: Logger;
  readonly agentStartMonotonicMs: number;
  /** The agent's own traffic, fed by the publisher, reported by the usage probe. */
  readonly trafficMeter: TrafficMeter;
  /** Random per process: salts the clients probe's identity hashes. */
  readonly salt: Uint8Array;
  /** The site's monthly data budget (probes beyond the LAN and the speed test feed it). */
  readonly budget: DataBudget;
  /** The battery now (from the power probe), null when unknown. */
  readonly batteryVolts: () => number | null;
  /** From the clean-shutdown marker read at start; null outside a run (the self-test). */
  readonly previousRunClean: boolean | null;
  /** Whether the internet is reachable and since when (fed by the agent from latency and MQTT). */
  readonly linkState: Pick<LinkState, 'snapshot'>;
}

/** Everything a probe may need. */
export type ProbeDeps = ProbeIo & ProbeContext;

type ProbeConfigs = AgentConfig['probes'];
type Factory = (config: AgentConfig, deps: ProbeDeps) => AnyProbe;

/** A probe's logger with the limiter its failure lines pass (once per key per 15 min). */
function limitedLog(deps: ProbeDeps, module: string) {
  return {
    logger: deps.log.child({ module }),
    limiter: createLogLimiter(deps.clock, PROBE_FAILURE_LOG_INTERVAL_MS),
  };
}

/**
 * Name to factory: the one list of probes the agent runs. It has one entry per probe in the config
 * schema (`probes.<name>`), and every name is a section of the wire contract.
 */
export const probeFactories: { readonly [N in keyof ProbeConfigs & ProbeName]: Factory } = {
  latency: (config, deps) => {
    const latency = config.probes.latency;
    return createLatencyProbe({
      pinger: deps.pinger,
      connector: deps.connector,
      targets: latency.targets,
      everySamplesByRole: latency.everySamplesByRole,
      autoGateway: latency.detectGateway ? { detector: deps.gatewayDetector, count: 3, timeoutMs: 1000 } : undefined,
      budget: deps.budget,
      log: limitedLog(deps, 'latency'),
    });
  },
  uptime: (config, deps) =>
    buildUptimeProbe(config.probes, {
      ...deps,
      log: limitedLog(deps, 'uptime'),
    }),
  power: (config, deps) =>
    createPowerProbe({
      config: config.probes.power,
      io: deps.powerIo,
      clock: deps.clock,
      log: deps.log.child({ module: 'power' }),
    }),
  usage: (config, deps) => buildUsageProbe(config.probes.usage, deps),
  clients: (config, deps) => buildClientsProbe(config.probes.clients, deps),
  throughput: (config, deps) => {
    const t = config.probes.throughput;
    // Enabled implies an endpoint (the schema checks it).
    const endpoint = t.endpoint ?? 'http://127.0.0.1/speedtest';
    return createThroughputProbe({
      transport: createHttpTransport(
        { endpoint, maxBytes: t.maxBytes, maxSeconds: t.maxSeconds, stallTimeoutMs: t.stallTimeoutMs },
        { clock: deps.clock, randomBytes: deps.randomBytes },
      ),
      scheduler: deps.calendar,
      cron: t.cron ?? nightWindowCron(t.nightWindow, deps.random),
      endpointHost: new URL(endpoint).hostname,
      maxTestBytes: 2 * t.maxBytes,
      budget: deps.budget,
      batteryVolts: deps.batteryVolts,
      minBatteryVolts: t.minBatteryVolts,
      log: deps.log.child({ module: 'throughput' }),
    });
  },
};

/** The enabled probes, in a stable order. */
export function createProbes(config: AgentConfig, deps: ProbeDeps): AnyProbe[] {
  return (Object.keys(probeFactories) as (keyof typeof probeFactories)[])
    .filter((name) => config.probes[name].enabled)
    .map((name) => probeFactories[name](config, deps));
}
