import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { guard, type Logger, MAX_SAMPLES_PER_BATCH } from '@pantau/shared';
import type { Clock } from './clock.js';
import { configHash } from './config/config-hash.js';
import { cronForInterval } from './config/cron.js';
import type { AgentConfig } from './config/schema.js';
import { CounterFile } from './delivery/counter-file.js';
import { createMemoryOutbox } from './delivery/outbox.js';
import { createPublisher } from './delivery/publisher.js';
import { type CommandRunner, execFileRunner } from './host/command-runner.js';
import { type FileReader, nodeFileReader } from './host/file-reader.js';
import type { HostInfo } from './host/host-info.js';
import type { Pinger } from './probes/latency/pinger.js';
import { createProbes } from './probes/registry.js';
import { createSampler } from './sampler.js';
import type { Scheduler } from './scheduler.js';
import { createNetSnmpClient } from './snmp/net-snmp-client.js';
import type { SnmpClient } from './snmp/snmp-client.js';
import { createTrafficMeter, type TrafficMeter } from './usage/traffic-meter.js';
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
  /** IO for the usage and clients probes; when absent, the real ones (main.ts passes them). */
  readonly files?: FileReader;
  readonly snmp?: SnmpClient;
  readonly commands?: CommandRunner;
  /** The agent's own traffic; the publisher feeds it, the usage probe reports it. */
  readonly trafficMeter?: TrafficMeter;
  readonly randomBytes?: (size: number) => Uint8Array;
}

export interface Agent {
  start(): Promise<void>;
  /** Takes one sample now and queues it for delivery (the schedule calls this). */
  cycle(): Promise<void>;
  /** Stops sampling, delivers what it can, says `shutdown`, closes. Safe to call twice. */
  stop(): Promise<void>;
  readonly stats: { readonly samplesTaken: number; readonly outboxDepth: number; readonly dropped: number };
}

/** Builds the agent; nothing runs until `start()`. */
export function createAgent(deps: AgentDeps): Agent {
  const { config, clock, log } = deps;
  const startedMonotonicMs = clock.monotonicMs();
  const outbox = createMemoryOutbox(config.outbox.maxSamples);
  // One meter per agent: the publisher feeds it (to be wired), the usage probe drains it.
  const trafficMeter = deps.trafficMeter ?? createTrafficMeter();
  let samplesTaken = 0;
  let running: ReturnType<typeof createRunning> | null = null;
  let stopping: Promise<void> | null = null;

  function createRunning(bootId: string) {
    const seq = new CounterFile(join(config.dataDir, 'seq'));
    const epochs = new CounterFile(join(config.dataDir, 'epoch'));
    const probes = createProbes(config, {
      clock,
      host: deps.host,
      pinger: deps.pinger,
      agentStartMonotonicMs: startedMonotonicMs,
      files: deps.files ?? nodeFileReader,
      snmp: deps.snmp ?? createNetSnmpClient(clock),
      commands: deps.commands ?? execFileRunner,
      trafficMeter,
      salt: (deps.randomBytes ?? randomBytes)(16),
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
    return { sampler, publisher, probes };
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
        await cycleInFlight;
        await flush();
        const current = running;
        running = null;
        for (const probe of current?.probes ?? []) probe.stop?.();
        await current?.publisher.stop();
        log.info({ event: 'stopped', undelivered: outbox.depth }, 'agent stopped');
      })();
      return stopping;
    },
    get stats() {
      return { samplesTaken, outboxDepth: outbox.depth, dropped: outbox.dropped };
    },
  };
}
