import type { Clock } from '../clock.js';
import type { HostInfo } from '../host/host-info.js';
import type { Probe } from './probe.js';

export interface UptimeProbeDeps {
  readonly host: HostInfo;
  readonly clock: Clock;
  /** `clock.monotonicMs()` when the agent started. */
  readonly agentStartMonotonicMs: number;
}

export function createUptimeProbe(deps: UptimeProbeDeps): Probe<'uptime'> {
  return {
    name: 'uptime',
    async measure() {
      const agentUptimeMs = Math.max(0, Math.round(deps.clock.monotonicMs() - deps.agentStartMonotonicMs));
      const system = await deps.host.uptimeMs();
      return system.ok
        ? { systemUptimeMs: system.value, agentUptimeMs, error: null }
        : { systemUptimeMs: null, agentUptimeMs, error: system.code };
    },
  };
}
