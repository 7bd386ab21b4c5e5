import { randomUUID } from 'node:crypto';
import { createLogger } from '@pantau/shared';
import { type Agent, type AgentDeps, createAgent } from './agent.js';
import { systemClock } from './clock.js';
import type { AgentConfig } from './config/schema.js';
import { nodeFileReader } from './host/file-reader.js';
import { createLinuxHostInfo, defaultHostPaths, type HostInfo } from './host/host-info.js';
import { createSystemPinger } from './probes/latency/pinger.js';
import { createNodePowerIo } from './probes/power/power-io.js';
import { cronScheduler } from './scheduler.js';

export function realHostInfo(config: AgentConfig): HostInfo {
  return createLinuxHostInfo(nodeFileReader, { ...defaultHostPaths, clockSyncedFile: config.clock.syncedFile });
}

/**
 * The agent wired to the real world, as `pantau-agent run` starts it. `pnpm bench:agent` builds it
 * here too, replacing only the scheduler (to run cycles faster than cron's one second), so the
 * footprint it measures is the shipped agent's.
 */
export function createRealAgent(config: AgentConfig, overrides: Partial<AgentDeps> = {}): Agent {
  return createAgent({
    config,
    clock: systemClock,
    host: realHostInfo(config),
    pinger: createSystemPinger(),
    powerIo: createNodePowerIo(),
    scheduler: cronScheduler,
    log: createLogger('pantau-agent', config.log.level),
    randomId: randomUUID,
    random: Math.random,
    // Files, SNMP, commands, TCP connects, the gateway detector, the traffic meter and random bytes
    // are the real ones by default (createAgent, probeDepsFor).
    ...overrides,
  });
}
