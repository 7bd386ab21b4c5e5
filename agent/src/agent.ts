import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { guard, type Logger } from '@pantau/shared';
import { createBudgetFile } from './budget/budget-file.js';
import { createDataBudget, type DataBudget } from './budget/data-budget.js';
import { type Clock, sleep } from './clock.js';
import { configHash } from './config/config-hash.js';
import { cronForInterval } from './config/cron.js';
import { type AgentConfig, deliveryIntervalSec, keepaliveSec } from './config/schema.js';
import { CounterFile } from './delivery/counter-file.js';
import { createDelivery, type Delivery } from './delivery/delivery.js';
import { createPublisher, type Publisher } from './delivery/publisher.js';
import { createResendResponder } from './delivery/resend-responder.js';
import { openFileSpool } from './delivery/spool/file-spool.js';
import type { Spool } from './delivery/spool/spool.js';
import type { SpoolIo } from './delivery/spool/spool-io.js';
import { type CommandRunner, execFileRunner } from './host/command-runner.js';
import { type FileReader, nodeFileReader } from './host/file-reader.js';
import type { HostInfo } from './host/host-info.js';
import { openRunMarker, type RunMarker } from './host/run-marker.js';
import { createGatewayDetector, type GatewayDetector } from './probes/latency/gateway.js';
import type { Pinger } from './probes/latency/pinger.js';
import { type Connector, createNetConnector } from './probes/latency/tcp-connector.js';
import type { PowerIo } from './probes/power/power-io.js';
import type { AnyProbe } from './probes/probe.js';
import { createProbes, type ProbeDeps } from './probes/registry.js';
import { createSampler, type Sampler } from './sampler.js';
import type { Scheduler } from './scheduler.js';
import { createNetSnmpClient } from './snmp/net-snmp-client.js';
import type { SnmpClient } from './snmp/snmp-client.js';
import { createHttp2GrpcClient, type GrpcUnaryClient } from './uptime/grpc-unary.js';
import { createLinkState, type LinkSnapshot, type LinkState } from './uptime/link-state.js';
import { createTrafficMeter, type TrafficMeter } from './usage/traffic-meter.js';
import { AGENT_VERSION } from './version.js';

export interface AgentDeps {
  readonly config: AgentConfig;
  readonly clock: Clock;
  readonly host: HostInfo;
  readonly pinger: Pinger;
  /** Serial ports, commands and sysfs for the power probe. */
  readonly powerIo: PowerIo;
  readonly scheduler: Scheduler;
  readonly log: Logger;
  /** Used only when the host has no boot id (not Linux): a random id for this run. */
  readonly randomId: () => string;
  /** IO for the usage and clients probes; when absent, the real ones (main.ts passes them). */
  readonly files?: FileReader;
  readonly snmp?: SnmpClient;
  readonly commands?: CommandRunner;
  /** The agent's own traffic; the publisher feeds it, the usage probe reports it. */
  readonly trafficMeter?: TrafficMeter;
  /** Random bytes: the clients probe's salt, the speed test's incompressible upload. */
  readonly randomBytes?: (size: number) => Buffer;
  // Network probes' IO; each defaults to the real thing.
  readonly connector?: Connector;
  readonly gatewayDetector?: GatewayDetector;
  /** gRPC to the terminal (a Starlink dish); default: HTTP/2 from Node. */
  readonly grpc?: GrpcUnaryClient;
  /** The battery now; by default the power probe's latest reading (null when unknown). */
  readonly batteryVolts?: () => number | null;
  /** Uniform in [0, 1): reconnect jitter and the start delay. */
  readonly random: () => number;
  /** The spool's disk writes; tests inject a disk that fills up. */
  readonly spoolIo?: SpoolIo;
}

export interface AgentStats {
  readonly samplesTaken: number;
  /** Samples on disk not yet acknowledged by the broker. */
  readonly spoolDepth: number;
  /** Samples lost and reported (spool full, disk full) since installation. */
  readonly dropped: number;
  readonly connected: boolean;
  /** Whether the previous run ended with a clean shutdown (null before `start`). */
  readonly previousRunClean: boolean | null;
  /** Whether the internet is reachable and for how long, as the uptime section reports it. */
  readonly link: LinkSnapshot;
}

export interface Agent {
  start(): Promise<void>;
  /** Takes one sample now, writes it to the spool, and delivers when a delivery is due. */
  cycle(): Promise<void>;
  /** Stops sampling, delivers what it can, says `shutdown`, marks a clean stop. Safe to call twice. */
  stop(): Promise<void>;
  readonly stats: AgentStats;
  /** The site's data budget; null before start. */
  readonly budget: DataBudget | null;
}

interface Running {
  readonly spool: Spool;
  readonly sampler: Sampler;
  readonly publisher: Publisher;
  readonly delivery: Delivery;
  readonly marker: RunMarker;
  readonly probes: readonly AnyProbe[];
  readonly budget: DataBudget;
}

/** What the probes need from the agent's dependencies. */
export type ProbeIoDeps = Pick<
  AgentDeps,
  | 'clock'
  | 'host'
  | 'pinger'
  | 'powerIo'
  | 'log'
  | 'files'
  | 'snmp'
  | 'commands'
  | 'randomBytes'
  | 'connector'
  | 'gatewayDetector'
  | 'grpc'
  | 'scheduler'
  | 'random'
>;

/** What the agent itself hands its probes. */
export interface ProbeRuntime {
  readonly agentStartMonotonicMs: number;
  readonly trafficMeter: TrafficMeter;
  readonly budget: DataBudget;
  readonly batteryVolts: () => number | null;
  /** From the clean-shutdown marker; null outside a run of the agent. */
  readonly previousRunClean: boolean | null;
  readonly linkState: Pick<LinkState, 'snapshot'>;
}

/**
 * The probes' dependencies, the real ones where a test injected none. `pantau-agent check` builds
 * its probes the same way, so it measures exactly what the agent would.
 */
export function probeDepsFor(deps: ProbeIoDeps, runtime: ProbeRuntime): ProbeDeps {
  return {
    clock: deps.clock,
    host: deps.host,
    pinger: deps.pinger,
    agentStartMonotonicMs: runtime.agentStartMonotonicMs,
    powerIo: deps.powerIo,
    log: deps.log.child({ module: 'probes' }),
    files: deps.files ?? nodeFileReader,
    snmp: deps.snmp ?? createNetSnmpClient(deps.clock),
    commands: deps.commands ?? execFileRunner,
    trafficMeter: runtime.trafficMeter,
    salt: (deps.randomBytes ?? randomBytes)(16),
    connector: deps.connector ?? createNetConnector(deps.clock),
    gatewayDetector: deps.gatewayDetector ?? createGatewayDetector(nodeFileReader),
    budget: runtime.budget,
    scheduler: deps.scheduler,
    random: deps.random,
    randomBytes: deps.randomBytes ?? randomBytes,
    batteryVolts: runtime.batteryVolts,
    previousRunClean: runtime.previousRunClean,
    linkState: runtime.linkState,
    grpc: deps.grpc ?? createHttp2GrpcClient(deps.clock),
  };
}

/** Builds the agent; nothing runs until `start()`. */
export function createAgent(deps: AgentDeps): Agent {
  const { config, clock, log } = deps;
  const startedMonotonicMs = clock.monotonicMs();
  const samplesPerDelivery = Math.max(1, Math.round(deliveryIntervalSec(config) / config.sample.intervalSec));
  // One meter per agent: the publisher feeds it, the usage probe drains it.
  const trafficMeter = deps.trafficMeter ?? createTrafficMeter();
  // One per agent: latency results (after each sample) and the MQTT connection feed it.
  const linkState = createLinkState(clock);
  let samplesTaken = 0;
  let lastBatteryVolts: number | null = null;
  let samplesSinceDelivery = 0;
  let running: Running | null = null;
  let stopping: Promise<void> | null = null;
  /** What `stats` shows once stopped. */
  let lastStats: { spoolDepth: number; dropped: number; previousRunClean: boolean | null } = {
    spoolDepth: 0,
    dropped: 0,
    previousRunClean: null,
  };

  function createRunning(bootId: string): Running {
    const marker = openRunMarker(config.dataDir);
    const spool = openFileSpool({
      dir: join(config.dataDir, 'spool'),
      maxSamples: config.spool.maxSamples,
      segmentSamples: config.spool.segmentSamples,
      log: log.child({ module: 'spool' }),
      ...(deps.spoolIo === undefined ? {} : { io: deps.spoolIo }),
    });
    // Numbering resumes after the newest sample on disk (a number never left the site unless its
    // sample was on disk first); `seq` is the counter file of earlier versions, read once.
    let seq = Math.max(spool.lastSeq, new CounterFile(join(config.dataDir, 'seq')).last);
    const epochs = new CounterFile(join(config.dataDir, 'epoch'));
    const budget = createDataBudget({
      monthlyBytes: config.budget.monthlyBytes,
      store: createBudgetFile(join(config.dataDir, 'budget.json')),
      clock,
      clockSynced: () => deps.host.clockSynced(),
    });
    const probes = createProbes(
      config,
      probeDepsFor(deps, {
        agentStartMonotonicMs: startedMonotonicMs,
        trafficMeter,
        budget,
        batteryVolts: deps.batteryVolts ?? (() => lastBatteryVolts),
        previousRunClean: marker.previousRunClean,
        linkState,
      }),
    );
    const sampler = createSampler({
      probes,
      clock,
      host: deps.host,
      bootId,
      nextSeq: () => ++seq,
      probeTimeoutMs: config.sample.probeTimeoutMs,
      agentStartMonotonicMs: startedMonotonicMs,
      log: log.child({ module: 'sampler' }),
    });
    let delivery: Delivery | null = null;
    let respond: ((payload: Buffer) => Promise<void>) | null = null;
    const publisher = createPublisher(
      {
        ...config.mqtt,
        keepaliveSec: keepaliveSec(config),
        backoff: { minMs: config.mqtt.backoffMinMs, maxMs: config.mqtt.backoffMaxMs },
        topicRoot: config.topicRoot,
        siteId: config.siteId,
        bootId,
        agentVersion: AGENT_VERSION,
        configHash: configHash(config),
        encoding: config.delivery.encoding,
        ackTimeoutMs: Math.max(keepaliveSec(config) * 1000, 10_000),
      },
      {
        clock,
        random: deps.random,
        log: log.child({ module: 'publisher' }),
        nextEpoch: () => epochs.next(),
        spoolState: () => ({ depth: spool.depth, dropped: spool.dropped, fault: spool.fault }),
        onConnected: guard(log, 'deliver_on_connect', () => {
          linkState.mqttConnected();
          return delivery?.deliverLive();
        }),
        onDisconnected: () => linkState.mqttLost(),
        onResendRequest: async (payload) => respond?.(payload),
      },
    );
    delivery = createDelivery(
      { maxBatchSamples: config.delivery.maxBatchSamples, backfillBytesPerSec: config.delivery.backfillBytesPerSec },
      { spool, publisher, clock, log: log.child({ module: 'delivery' }) },
    );
    respond = createResendResponder(
      { siteId: config.siteId, maxBatchSamples: config.delivery.maxBatchSamples, maxSamplesPerRequest: 10_000 },
      { spool, publisher, log: log.child({ module: 'resend' }) },
    );
    return { spool, sampler, publisher, delivery, marker, probes, budget };
  }

  let stopSchedule = () => {};
  let cycleInFlight: Promise<void> | null = null;
  /** The agent's own MQTT traffic: reported by the usage probe, spent from the data budget. */
  function feedWireBytes(r: Running): void {
    const wire = r.publisher.takeWireBytes();
    trafficMeter.addTx(wire.txBytes);
    trafficMeter.addRx(wire.rxBytes);
    r.budget.add(wire.txBytes + wire.rxBytes);
  }

  const guardedCycle = guard(log, 'cycle', () => cycle());

  async function cycle(): Promise<void> {
    const r = running;
    if (r === null) return;
    await r.budget.checkMonth();
    feedWireBytes(r);
    const sample = await r.sampler.take();
    // After the whole sample, so the uptime section of the next one reflects this cycle's latency.
    linkState.observeLatency(sample.probes?.latency);
    // The speed test is skipped on a low battery: it reads the power probe's latest figure.
    if (sample.probes?.power !== undefined) lastBatteryVolts = sample.probes.power.batteryVolts ?? null;
    samplesTaken += 1;
    // Durable before it counts: a sample the disk refused is dropped and reported, not sent.
    const faultBefore = r.spool.fault;
    const stored = await r.spool.append(sample);
    log.debug({ event: 'sample', seq: sample.seq, stored: stored.ok }, 'sample taken');
    // A disk that fills up (or recovers) is news for the NOC now, not at the next connection.
    if (r.spool.fault !== faultBefore) await r.publisher.publishStatus();
    samplesSinceDelivery += 1;
    if (samplesSinceDelivery >= samplesPerDelivery) {
      samplesSinceDelivery = 0;
      await r.delivery.deliverLive();
    }
  }

  return {
    async start() {
      const boot = await deps.host.bootId();
      if (!boot.ok) log.warn({ event: 'boot_id_unreadable' }, `${boot.message}; using a random id for this run`);
      const bootId = boot.ok ? boot.value : deps.randomId();
      const r = createRunning(bootId);
      running = r;
      r.publisher.start();
      for (const probe of r.probes) probe.start?.();
      stopSchedule = deps.scheduler.schedule(cronForInterval(config.sample.intervalSec), () => {
        cycleInFlight = guardedCycle().finally(() => {
          cycleInFlight = null;
        });
        return cycleInFlight;
      });
      log.info(
        {
          event: 'started',
          siteId: config.siteId,
          bootId,
          intervalSec: config.sample.intervalSec,
          deliveryIntervalSec: deliveryIntervalSec(config),
          keepaliveSec: keepaliveSec(config),
          spoolDepth: r.spool.depth,
          lastSeq: r.spool.lastSeq,
          previousRunClean: r.marker.previousRunClean,
          version: AGENT_VERSION,
        },
        'agent started',
      );
    },
    cycle,
    stop() {
      stopping ??= (async () => {
        stopSchedule();
        await Promise.all((running?.probes ?? []).map((probe) => probe.stop?.()));
        await cycleInFlight;
        const r = running;
        if (r === null) return;
        // Bounded even when a publish hangs on a dead link: what is not sent stays on disk.
        await Promise.race([
          r.delivery.flush(config.delivery.flushOnStopMs),
          sleep(clock, config.delivery.flushOnStopMs),
        ]);
        await r.delivery.stop();
        running = null;
        await r.publisher.stop();
        feedWireBytes(r);
        r.budget.flush();
        // Probes that keep a device open (the power probe's serial port) let go of it last.
        await Promise.all(r.probes.map((p) => p.stop?.().catch(() => {})));
        r.spool.close();
        r.marker.markClean();
        log.info({ event: 'stopped', undelivered: r.spool.depth }, 'agent stopped');
        lastStats = {
          spoolDepth: r.spool.depth,
          dropped: r.spool.dropped,
          previousRunClean: r.marker.previousRunClean,
        };
      })();
      return stopping;
    },
    get budget() {
      return running?.budget ?? null;
    },
    get stats() {
      const r = running;
      return {
        samplesTaken,
        spoolDepth: r?.spool.depth ?? lastStats.spoolDepth,
        dropped: r?.spool.dropped ?? lastStats.dropped,
        connected: r?.publisher.connected ?? false,
        previousRunClean: r?.marker.previousRunClean ?? lastStats.previousRunClean,
        link: linkState.snapshot(),
      };
    },
  };
}
