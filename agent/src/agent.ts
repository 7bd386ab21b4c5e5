import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { guard, type Logger, MAX_SAMPLES_PER_BATCH } from '@pantau/shared';
import { createBudgetFile } from './budget/budget-file.js';
import { createDataBudget, type DataBudget } from './budget/data-budget.js';
import type { Clock } from './clock.js';
import { configHash } from './config/config-hash.js';
import { cronForInterval } from './config/cron.js';
import type { AgentConfig } from './config/schema.js';
import { CounterFile } from './delivery/counter-file.js';
import { createMemoryOutbox } from './delivery/outbox.js';
import { createPublisher } from './delivery/publisher.js';
import { nodeFileReader } from './host/file-reader.js';
import type { HostInfo } from './host/host-info.js';
import { createGatewayDetector, type GatewayDetector } from './probes/latency/gateway.js';
import type { Pinger } from './probes/latency/pinger.js';
import { type Connector, createNetConnector } from './probes/latency/tcp-connector.js';
import { createProbes } from './probes/registry.js';
import { createSampler } from './sampler.js';
import type { Scheduler } from './scheduler.js';
import { AGENT_VERSION } from './version.js';

export interface AgentDeps {
  readonly config: AgentConfig;
  readonly clock: Clock;
  readonly host: HostInfo;
  readonly pinger: Pinger;
  readonly scheduler: Scheduler;
  readonly log: Logger;
  /** Used only when the host has no boot id (not Linux): a random id for this run. */
  readonly randomId: () => string;
  // Network probes' IO; each defaults to the real thing (main.ts passes them explicitly).
  readonly connector?: Connector;
  readonly gatewayDetector?: GatewayDetector;
  /** The battery now, from the power probe; null when unknown. */
  readonly batteryVolts?: () => number | null;
  /** A number in [0, 1). */
  readonly random?: () => number;
  readonly randomBytes?: (n: number) => Buffer;
}

export interface Agent {
  start(): Promise<void>;
  /** Takes one sample now and queues it for delivery (the schedule calls this). */
  cycle(): Promise<void>;
  /** Stops sampling, delivers what it can, says `shutdown`, closes. Safe to call twice. */
  stop(): Promise<void>;
  readonly stats: { readonly samplesTaken: number; readonly outboxDepth: number; readonly dropped: number };
  /** The site's data budget; null before start. */
  readonly budget: DataBudget | null;
}

/** Builds the agent; nothing runs until `start()`. */
export function createAgent(deps: AgentDeps): Agent {
  const { config, clock, log } = deps;
  const startedMonotonicMs = clock.monotonicMs();
  const outbox = createMemoryOutbox(config.outbox.maxSamples);
  let samplesTaken = 0;
  let running: ReturnType<typeof createRunning> | null = null;
  let stopping: Promise<void> | null = null;

  function createRunning(bootId: string) {
    const seq = new CounterFile(join(config.dataDir, 'seq'));
    const epochs = new CounterFile(join(config.dataDir, 'epoch'));
    const budget = createDataBudget({
      monthlyBytes: config.budget.monthlyBytes,
      store: createBudgetFile(join(config.dataDir, 'budget.json')),
      clock,
      clockSynced: () => deps.host.clockSynced(),
    });
    const probes = createProbes(config, {
      clock,
      host: deps.host,
      pinger: deps.pinger,
      agentStartMonotonicMs: startedMonotonicMs,
      connector: deps.connector ?? createNetConnector(clock),
      gatewayDetector: deps.gatewayDetector ?? createGatewayDetector(nodeFileReader),
      budget,
      scheduler: deps.scheduler,
      random: deps.random ?? Math.random,
      randomBytes: deps.randomBytes ?? randomBytes,
      batteryVolts: deps.batteryVolts ?? (() => null),
      log,
    });
    const sampler = createSampler({
      probes,
      clock,
      host: deps.host,
      bootId,
      nextSeq: () => seq.next(),
      probeTimeoutMs: config.sample.probeTimeoutMs,
      agentStartMonotonicMs: startedMonotonicMs,
      log: log.child({ module: 'sampler' }),
    });
    const publisher = createPublisher(
      {
        ...config.mqtt,
        topicRoot: config.topicRoot,
        siteId: config.siteId,
        bootId,
        agentVersion: AGENT_VERSION,
        configHash: configHash(config),
        ackTimeoutMs: Math.max(config.mqtt.keepaliveSec * 1000, 10_000),
      },
      {
        clock,
        log: log.child({ module: 'publisher' }),
        nextEpoch: () => epochs.next(),
        outboxState: () => ({ depth: outbox.depth, dropped: outbox.dropped }),
        onConnected: guard(log, 'flush_on_connect', () => flush()),
      },
    );
    return { sampler, publisher, budget, probes };
  }

  let flushing: Promise<void> | null = null;
  /** Sends the outbox; concurrent callers share the one drain under way. */
  function flush(): Promise<void> {
    if (flushing === null) {
      // `.finally` runs after this assignment, even when drain() finishes at once.
      flushing = drain().finally(() => {
        flushing = null;
      });
    }
    return flushing;
  }

  /** Oldest first, one batch at a time, while the broker acknowledges. */
  async function drain(): Promise<void> {
    while (running !== null && outbox.depth > 0 && running.publisher.connected) {
      const batch = outbox.peek(MAX_SAMPLES_PER_BATCH);
      const result = await running.publisher.publishSamples(batch);
      if (!result.ok) {
        log.warn({ event: 'delivery_deferred', code: result.code, depth: outbox.depth }, result.message);
        return;
      }
      outbox.ack(batch.length);
    }
  }

  let stopSchedule = () => {};
  let cycleInFlight: Promise<void> | null = null;

  const guardedCycle = guard(log, 'cycle', () => cycle());

  async function cycle(): Promise<void> {
    if (running === null) return;
    await running.budget.checkMonth();
    const sample = await running.sampler.take();
    samplesTaken += 1;
    outbox.add(sample);
    log.debug({ event: 'sample', seq: sample.seq }, 'sample taken');
    await flush();
  }

  return {
    async start() {
      const boot = await deps.host.bootId();
      if (!boot.ok) log.warn({ event: 'boot_id_unreadable' }, `${boot.message}; using a random id for this run`);
      const bootId = boot.ok ? boot.value : deps.randomId();
      running = createRunning(bootId);
      running.publisher.start();
      for (const probe of running.probes) probe.start?.();
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
        await flush();
        const current = running;
        running = null;
        current?.budget.flush();
        await current?.publisher.stop();
        log.info({ event: 'stopped', undelivered: outbox.depth }, 'agent stopped');
      })();
      return stopping;
    },
    get budget() {
      return running?.budget ?? null;
    },
    get stats() {
      return { samplesTaken, outboxDepth: outbox.depth, dropped: outbox.dropped };
    },
  };
}
