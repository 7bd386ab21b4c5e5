import type { HostInventory, Logger, ProbeName } from '@pantau/shared';
import type { DataBudget } from '../budget/data-budget.js';
import type { Clock } from '../clock.js';
import { type AgentConfig, starlinkDish } from '../config/schema.js';
import type { CommandRunner } from '../host/command-runner.js';
import type { FileReader } from '../host/file-reader.js';
import type { HostInfo } from '../host/host-info.js';
import type { Scheduler } from '../schedule/calendar.js';
import type { SnmpClient } from '../snmp/snmp-client.js';
import { AGENT_VERSION } from '../version.js';
import { buildClientsProbe } from './clients/build-clients-probe.js';
import { createFailureLog, PROBE_FAILURE_LOG_INTERVAL_MS } from './failure-log.js';
import { createHostProbe } from './host/host-probe.js';
import { type DiskStats, defaultHostHealthPaths } from './host/host-readers.js';
import { createInventoryJob, type InventorySource } from './host/inventory-job.js';
import type { GatewayDetector } from './latency/gateway.js';
import { createLatencyProbe } from './latency/latency-probe.js';
import type { Pinger } from './latency/pinger.js';
import type { Connector } from './latency/tcp-connector.js';
import { createLogLimiter } from './log-limiter.js';
import type { PowerIo } from './power/power-io.js';
import { createPowerProbe } from './power/power-probe.js';
import type { AnyProbe } from './probe.js';
import type { GrpcUnaryClient } from './terminal/grpc-unary.js';
import { createHistoryTracker, type HistoryTracker } from './terminal/history-tracker.js';
import type { HistoryCursor } from './terminal/history-window.js';
import { createStarlinkDish, type StarlinkDish } from './terminal/starlink-dish.js';
import { createTerminalProbe } from './terminal/terminal-probe.js';
import { createHttpTransport } from './throughput/http-transport.js';
import { nightWindowMinute } from './throughput/night-window.js';
import { createThroughputProbe } from './throughput/throughput-probe.js';
import { buildUptimeProbe } from './uptime/build-uptime-probe.js';
import type { LinkState } from './uptime/link-state.js';
import { buildUsageProbe } from './usage/build-usage-probe.js';
import { createStarlinkUsageProbe } from './usage/starlink-usage-probe.js';
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
  /** Free space of a filesystem (the host probe's data folder). */
  readonly disk: DiskStats;
  /** The host's inventory (model, OS, serial, card), looked at start and daily. */
  readonly inventory: InventorySource;
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
  /** Where the newest stored sample stopped reading the dish's history; null when none did. */
  readonly terminalSeed: HistoryCursor | null;
  /** Takes each inventory the host probe finds (the agent sends it with the birth status). */
  readonly publishInventory: (inventory: HostInventory) => void;
}

/** Everything a probe may need. */
export type ProbeDeps = ProbeIo & ProbeContext;

/** The site's dish, shared by the probes that read it (asked once a sample), when one is configured. */
interface SharedParts {
  readonly dish: StarlinkDish | null;
  readonly history: HistoryTracker | null;
}

type ProbeConfigs = AgentConfig['probes'];
type Factory = (config: AgentConfig, deps: ProbeDeps & SharedParts) => AnyProbe;

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
  terminal: (_config, deps) => {
    // Enabled implies a dish (the schema checks it).
    if (deps.dish === null || deps.history === null) throw new Error('the terminal probe needs a dish');
    return createTerminalProbe({
      dish: deps.dish,
      history: deps.history,
      failures: createFailureLog(deps.log.child({ module: 'terminal' }), deps.clock),
    });
  },
  host: (config, deps) =>
    createHostProbe({
      files: deps.files,
      disk: deps.disk,
      paths: defaultHostHealthPaths,
      dataDir: config.dataDir,
      clock: deps.clock,
      failures: createFailureLog(deps.log.child({ module: 'host' }), deps.clock),
      inventory: createInventoryJob({
        source: deps.inventory,
        clock: deps.clock,
        log: deps.log.child({ module: 'inventory' }),
        agentVersion: AGENT_VERSION,
        nodeVersion: process.version,
        publish: deps.publishInventory,
      }),
    }),
  power: (config, deps) =>
    createPowerProbe({
      config: config.probes.power,
      io: deps.powerIo,
      clock: deps.clock,
      log: deps.log.child({ module: 'power' }),
    }),
  usage: (config, deps) =>
    config.probes.usage.source === 'starlink' && deps.history !== null
      ? createStarlinkUsageProbe({
          history: deps.history,
          meter: deps.trafficMeter,
          failures: createFailureLog(deps.log.child({ module: 'usage' }), deps.clock),
          budget: () => deps.budget.usage(),
        })
      : buildUsageProbe(config.probes.usage, deps),
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
      when:
        t.cron === undefined
          ? { kind: 'daily', minuteOfDay: nightWindowMinute(t.nightWindow, deps.random) }
          : { kind: 'cron', expression: t.cron },
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
  const shared = sharedParts(config, deps);
  return (Object.keys(probeFactories) as (keyof typeof probeFactories)[])
    .filter((name) => config.probes[name].enabled)
    .map((name) => probeFactories[name](config, { ...deps, ...shared }));
}

/** The probes of one sample start together; a result this recent is theirs to share. */
function reuseMs(config: AgentConfig): number {
  return Math.min(1000, (config.sample.intervalSec * 1000) / 2);
}

function sharedParts(config: AgentConfig, deps: ProbeDeps): SharedParts {
  const target = starlinkDish(config.probes);
  if (target === null) return { dish: null, history: null };
  const dish = createStarlinkDish(
    { host: target.host, port: target.port, timeoutMs: target.timeoutMs, reuseMs: reuseMs(config) },
    { grpc: deps.grpc, clock: deps.clock },
  );
  const history = createHistoryTracker({
    dish,
    clock: deps.clock,
    clockSynced: () => deps.host.clockSynced(),
    seed: deps.terminalSeed,
    reuseMs: reuseMs(config),
  });
  return { dish, history };
}
