import { join } from 'node:path';
import type { HostInventory, SampleInput } from '@pantau/shared';
import { type Agent, createAgent } from '../agent.js';
import { createBudgetFile } from '../budget/budget-file.js';
import { createDataBudget } from '../budget/data-budget.js';
import { configHash } from '../config/config-hash.js';
import { type AgentConfig, keepaliveSec } from '../config/schema.js';
import { CounterFile } from '../delivery/counter-file.js';
import { createDelivery } from '../delivery/delivery.js';
import { createEpochSource } from '../delivery/epochs.js';
import { type BrokerTrust, NO_PINNED_CA } from '../delivery/mqtt/broker-tls.js';
import { createPublisher } from '../delivery/mqtt/publisher.js';
import { createResendResponder } from '../delivery/resend-responder.js';
import { openFileSpool } from '../delivery/spool/file-spool.js';
import { openRunMarker } from '../host/run-marker.js';
import type { AnyProbe } from '../probes/probe.js';
import type { ProbeContext } from '../probes/registry.js';
import { cursorFromSamples, SEED_LOOKBACK_SAMPLES } from '../probes/terminal/cursor-seed.js';
import { createLinkState } from '../probes/uptime/link-state.js';
import { createTrafficMeter } from '../probes/usage/traffic-meter.js';
import { createSampler } from '../sampler.js';
import { AGENT_VERSION } from '../version.js';
import type { AgentIo } from './agent-io.js';
import { buildProbes } from './probes.js';

/** Makes the agent's probes from the config, the outside world and what the agent shares with them. */
export type ProbeBuilder = (config: AgentConfig, io: AgentIo, context: ProbeContext) => AnyProbe[];

/**
 * The agent's composition root: every part built once, here, from the config and the outside
 * world, then handed to `createAgent`. It reads the boot id and opens the data folder (the spool,
 * the counters, the clean-stop marker); nothing connects or runs until `start()`. `trust` is the
 * broker's pinned CA, read at start with the config (`readBrokerTrust`).
 */
export function openAgent(config: AgentConfig, io: AgentIo, trust: BrokerTrust = NO_PINNED_CA): Promise<Agent> {
  return composeAgent(config, io, buildProbes, trust);
}

/**
 * The same agent with other probes: the fleet simulator's virtual sites measure a simulated world
 * through the real spool, publisher and MQTT connection.
 */
export async function composeAgent(
  config: AgentConfig,
  io: AgentIo,
  makeProbes: ProbeBuilder,
  trust: BrokerTrust = NO_PINNED_CA,
): Promise<Agent> {
  const { clock, log } = io;
  const agentStartMonotonicMs = clock.monotonicMs();
  const boot = await io.host.bootId();
  if (!boot.ok) log.warn({ event: 'boot_id_unreadable' }, `${boot.message}; using a random id for this run`);
  const bootId = boot.ok ? boot.value : io.randomId();

  const marker = openRunMarker(config.dataDir);
  const spool = openFileSpool({
    dir: join(config.dataDir, 'spool'),
    maxSamples: config.spool.maxSamples,
    segmentSamples: config.spool.segmentSamples,
    log: log.child({ module: 'spool' }),
    io: io.spoolIo,
  });
  // Numbering resumes after the newest sample on disk (a number never left the site unless its
  // sample was on disk first); `seq` is the counter file of earlier versions, read once.
  let seq = Math.max(spool.lastSeq, new CounterFile(join(config.dataDir, 'seq')).last);
  const epochs = new CounterFile(join(config.dataDir, 'epoch'));
  const budget = createDataBudget({
    monthlyBytes: config.budget.monthlyBytes,
    store: createBudgetFile(join(config.dataDir, 'budget.json'), log.child({ module: 'budget' })),
    clock,
    clockSynced: () => io.host.clockSynced(),
  });
  // One of each per agent: the publisher feeds the traffic meter and the usage probe drains it;
  // latency results (after each sample) and the MQTT connection feed the link state.
  const trafficMeter = createTrafficMeter();
  const linkState = createLinkState(clock);
  // The speed test is skipped on a low battery: it reads the power probe's latest figure.
  let batteryVolts: number | null = null;
  // The host probe's latest inventory travels in every status message; a change is sent at once.
  let inventory: HostInventory | null = null;
  function publishInventory(next: HostInventory): void {
    const changed = inventory === null || !sameInventory(inventory, next);
    inventory = next;
    if (!changed || !publisher.connected) return;
    void publisher.publishStatus().then((sent) => {
      if (!sent.ok) log.warn({ event: 'inventory_status_failed', code: sent.code }, sent.message);
    });
  }

  const probes = makeProbes(config, io, {
    log,
    agentStartMonotonicMs,
    trafficMeter,
    salt: io.randomBytes(16),
    budget,
    batteryVolts: () => batteryVolts,
    previousRunClean: marker.previousRunClean,
    linkState,
    // The dish's history resumes where the newest stored sample stopped counting.
    terminalSeed: cursorFromSamples(
      spool.range(Math.max(0, spool.lastSeq - SEED_LOOKBACK_SAMPLES + 1), spool.lastSeq, SEED_LOOKBACK_SAMPLES).samples,
    ),
    publishInventory,
  });
  const sampler = createSampler({
    probes,
    clock,
    host: io.host,
    bootId,
    nextSeq: () => ++seq,
    probeTimeoutMs: config.sample.probeTimeoutMs,
    agentStartMonotonicMs,
    log: log.child({ module: 'sampler' }),
  });
  const publisher = createPublisher(
    {
      ...config.mqtt,
      ca: trust.ca,
      keepaliveSec: keepaliveSec(config),
      backoff: {
        minMs: config.mqtt.backoffMinMs,
        maxMs: config.mqtt.backoffMaxMs,
        reconnectWithinMs: config.mqtt.reconnectWithinMs,
      },
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
      random: io.random,
      log: log.child({ module: 'publisher' }),
      connect: io.mqtt,
      nextEpoch: createEpochSource(epochs, log.child({ module: 'publisher' })),
      spoolState: () => ({ depth: spool.depth, dropped: spool.dropped, fault: spool.fault }),
      inventory: () => inventory,
    },
  );
  const delivery = createDelivery(
    { maxBatchSamples: config.delivery.maxBatchSamples, backfillBytesPerSec: config.delivery.backfillBytesPerSec },
    { spool, publisher, clock, log: log.child({ module: 'delivery' }) },
  );
  const respond = createResendResponder(
    { siteId: config.siteId, maxBatchSamples: config.delivery.maxBatchSamples, maxSamplesPerRequest: 10_000 },
    { spool, publisher, log: log.child({ module: 'resend' }) },
  );
  publisher.listen({
    connected() {
      linkState.mqttConnected();
      return delivery.deliverLive();
    },
    disconnected: () => linkState.mqttLost(),
    resendRequest: respond,
  });

  return createAgent({
    config,
    clock,
    log,
    bootId,
    cycles: io.cycles,
    probes,
    sampler,
    spool,
    publisher,
    delivery,
    marker,
    budget,
    trafficMeter,
    linkState,
    observers: [
      // After the whole sample, so the uptime section of the next one reflects this cycle's latency.
      (sample: SampleInput) => linkState.observeLatency(sample.probes?.latency),
      (sample: SampleInput) => {
        if (sample.probes?.power !== undefined) batteryVolts = sample.probes.power.batteryVolts ?? null;
      },
    ],
  });
}

/** Two inventories tell the same (the time each was taken aside). */
function sameInventory(a: HostInventory, b: HostInventory): boolean {
  return JSON.stringify({ ...a, takenAtMs: 0 }) === JSON.stringify({ ...b, takenAtMs: 0 });
}
