import type { Logger, SampleInput } from '@pantau/shared';
import { createMemoryBudgetStore } from '../budget/budget-file.js';
import { createDataBudget } from '../budget/data-budget.js';
import type { AgentConfig } from '../config/schema.js';
import type { ProbeIo } from '../probes/registry.js';
import { createLinkState } from '../probes/uptime/link-state.js';
import { createTrafficMeter } from '../probes/usage/traffic-meter.js';
import { createSampler } from '../sampler.js';
import { buildProbes } from './probes.js';

/** The probes of `pantau-agent check`: one sample, then the devices they opened let go. */
export interface ProbeCheck {
  sampleOnce(): Promise<SampleInput>;
  stop(): Promise<void>;
}

/** The self-test's probe timeout at most, so the whole check finishes within about 10 s. */
const CHECK_PROBE_TIMEOUT_MS = 10_000;

/**
 * The configured probes, built as the agent builds them (so the self-test measures exactly what
 * the agent would), with nothing of a run: no budget file, no marker, no sequence number.
 */
export async function openProbeCheck(config: AgentConfig, io: ProbeIo & { readonly log: Logger }): Promise<ProbeCheck> {
  const { clock } = io;
  const agentStartMonotonicMs = clock.monotonicMs();
  const boot = await io.host.bootId();
  const probes = buildProbes(config, io, {
    log: io.log,
    agentStartMonotonicMs,
    trafficMeter: createTrafficMeter(),
    salt: io.randomBytes(16),
    // The self-test counts nothing against the site's budget file.
    budget: createDataBudget({
      monthlyBytes: config.budget.monthlyBytes,
      store: createMemoryBudgetStore(),
      clock,
      clockSynced: () => io.host.clockSynced(),
    }),
    batteryVolts: () => null,
    // The self-test is not a run of the agent: it neither reads nor consumes the marker, and has
    // seen no link evidence before its one sample.
    previousRunClean: null,
    linkState: createLinkState(clock),
    // The self-test's one sample is a baseline of the dish's history, and it sends no status.
    terminalSeed: null,
    publishInventory: () => {},
  });
  const sampler = createSampler({
    probes,
    clock,
    host: io.host,
    bootId: boot.ok ? boot.value : 'check',
    // The self-test publishes nothing, so it takes no sequence number from the agent.
    nextSeq: () => 0,
    probeTimeoutMs: Math.min(config.sample.probeTimeoutMs, CHECK_PROBE_TIMEOUT_MS),
    agentStartMonotonicMs,
    log: io.log,
  });
  return {
    sampleOnce: () => sampler.take(),
    // Probes are only measured, never started: only a device one opened (a serial port) to close.
    stop: async () => {
      await Promise.all(probes.map((p) => p.stop?.().catch(() => {})));
    },
  };
}
