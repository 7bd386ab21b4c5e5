import { guard, type Logger, type SampleInput } from '@pantau/shared';
import type { DataBudget } from './budget/data-budget.js';
import { type Clock, sleep } from './clock.js';
import { type AgentConfig, deliveryIntervalSec, keepaliveSec } from './config/schema.js';
import type { Delivery } from './delivery/delivery.js';
import type { Publisher } from './delivery/mqtt/publisher.js';
import type { Spool } from './delivery/spool/spool.js';
import type { RunMarker } from './host/run-marker.js';
import type { AnyProbe } from './probes/probe.js';
import type { LinkSnapshot, LinkState } from './probes/uptime/link-state.js';
import type { TrafficMeter } from './probes/usage/traffic-meter.js';
import type { Sampler } from './sampler.js';
import { type CycleSchedule, type CycleTick, ON_TIME } from './schedule/cycles.js';
import { AGENT_VERSION } from './version.js';

/** What a running agent is made of; the composition root (compose/open-agent.ts) builds each part. */
export interface AgentParts {
  readonly config: AgentConfig;
  readonly clock: Clock;
  readonly log: Logger;
  readonly bootId: string;
  readonly cycles: CycleSchedule;
  readonly probes: readonly AnyProbe[];
  readonly sampler: Sampler;
  readonly spool: Spool;
  readonly publisher: Publisher;
  readonly delivery: Delivery;
  readonly marker: RunMarker;
  readonly budget: DataBudget;
  /** The agent's own traffic: the publisher's bytes go in, the usage probe reports them. */
  readonly trafficMeter: TrafficMeter;
  readonly linkState: Pick<LinkState, 'snapshot'>;
  /** Each hears every sample once it is taken, before the next (the link state, the battery level). */
  readonly observers: readonly ((sample: SampleInput) => void)[];
}

export interface AgentStats {
  readonly samplesTaken: number;
  /** Samples on disk not yet acknowledged by the broker. */
  readonly spoolDepth: number;
  /** Samples lost and reported (spool full, disk full) since installation. */
  readonly dropped: number;
  readonly connected: boolean;
  /** Whether the previous run ended with a clean shutdown. */
  readonly previousRunClean: boolean;
  /** Whether the internet is reachable and for how long, as the uptime section reports it. */
  readonly link: LinkSnapshot;
}

export interface Agent {
  /** Connects, starts the probes' own work and the sample cycle. */
  start(): Promise<void>;
  /** Takes one sample now, writes it to the spool, and delivers when a delivery is due. */
  cycle(tick?: CycleTick): Promise<void>;
  /** Stops sampling, delivers what it can, says `shutdown`, marks a clean stop. Safe to call twice. */
  stop(): Promise<void>;
  readonly stats: AgentStats;
  /** The site's data budget. */
  readonly budget: DataBudget;
}

/** The agent's life: start, the sample cycle, stop. It builds nothing; it is handed its parts. */
export function createAgent(parts: AgentParts): Agent {
  const { config, clock, log, spool, publisher, delivery, budget } = parts;
  const samplesPerDelivery = Math.max(1, Math.round(deliveryIntervalSec(config) / config.sample.intervalSec));
  let samplesTaken = 0;
  let samplesSinceDelivery = 0;
  let stopped = false;
  let stopping: Promise<void> | null = null;
  let stopCycles = () => {};
  let cycleInFlight: Promise<void> | null = null;

  /** The agent's own MQTT traffic: reported by the usage probe, spent from the data budget. */
  function feedWireBytes(): void {
    const wire = publisher.takeWireBytes();
    parts.trafficMeter.addTx(wire.txBytes);
    parts.trafficMeter.addRx(wire.rxBytes);
    budget.add(wire.txBytes + wire.rxBytes);
  }

  async function cycle(tick: CycleTick = ON_TIME): Promise<void> {
    if (stopped) return;
    await budget.checkMonth();
    feedWireBytes();
    const sample = await parts.sampler.take(tick);
    for (const observe of parts.observers) observe(sample);
    samplesTaken += 1;
    // Durable before it counts: a sample the disk refused is dropped and reported, not sent.
    const faultBefore = spool.fault;
    const stored = await spool.append(sample);
    log.debug({ event: 'sample', seq: sample.seq, stored: stored.ok }, 'sample taken');
    // A disk that fills up (or recovers) is news for the NOC now, not at the next connection.
    if (spool.fault !== faultBefore) await publisher.publishStatus();
    samplesSinceDelivery += 1;
    if (samplesSinceDelivery >= samplesPerDelivery) {
      samplesSinceDelivery = 0;
      await delivery.deliverLive();
    }
  }

  const guardedCycle = guard(log, 'cycle', cycle);

  return {
    async start() {
      publisher.start();
      for (const probe of parts.probes) probe.start?.();
      stopCycles = parts.cycles.start((tick) => {
        cycleInFlight = guardedCycle(tick).finally(() => {
          cycleInFlight = null;
        });
        return cycleInFlight;
      });
      log.info(
        {
          event: 'started',
          siteId: config.siteId,
          bootId: parts.bootId,
          intervalSec: config.sample.intervalSec,
          deliveryIntervalSec: deliveryIntervalSec(config),
          keepaliveSec: keepaliveSec(config),
          spoolDepth: spool.depth,
          lastSeq: spool.lastSeq,
          previousRunClean: parts.marker.previousRunClean,
          version: AGENT_VERSION,
        },
        'agent started',
      );
    },
    cycle,
    stop() {
      stopping ??= (async () => {
        stopCycles();
        stopped = true;
        await Promise.all(parts.probes.map((probe) => probe.stop?.()));
        await cycleInFlight;
        // Bounded even when a publish hangs on a dead link: what is not sent stays on disk. The
        // deadline's timer ends with the flush, or it would hold the process up to its end.
        const flushed = new AbortController();
        await Promise.race([
          delivery.flush(config.delivery.flushOnStopMs),
          sleep(clock, config.delivery.flushOnStopMs, flushed.signal),
        ]);
        flushed.abort();
        await delivery.stop();
        await publisher.stop();
        feedWireBytes();
        budget.flush();
        // Probes that keep a device open (the power probe's serial port) let go of it last.
        await Promise.all(parts.probes.map((p) => p.stop?.().catch(() => {})));
        spool.close();
        if (!parts.marker.markClean()) {
          log.warn({ event: 'clean_stop_not_marked' }, 'cannot mark the clean stop: the data folder is not writable');
        }
        log.info({ event: 'stopped', undelivered: spool.depth }, 'agent stopped');
      })();
      return stopping;
    },
    budget,
    get stats() {
      return {
        samplesTaken,
        spoolDepth: spool.depth,
        dropped: spool.dropped,
        connected: publisher.connected,
        previousRunClean: parts.marker.previousRunClean,
        link: parts.linkState.snapshot(),
      };
    },
  };
}
