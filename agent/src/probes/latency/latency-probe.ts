import type { LatencyTarget } from '@pantau/shared';
import type { LatencyTargetConfig } from '../../config/schema.js';
import type { Probe } from '../probe.js';
import type { Pinger } from './pinger.js';
import { rttStats } from './rtt-stats.js';

export interface LatencyProbeDeps {
  readonly pinger: Pinger;
  readonly targets: readonly LatencyTargetConfig[];
}

/** ICMP echoes to each configured target at once; one target's failure never hides another's. */
export function createLatencyProbe(deps: LatencyProbeDeps): Probe<'latency'> {
  return {
    name: 'latency',
    async measure() {
      if (deps.targets.length === 0) return { targets: [], error: 'no_targets' };
      const targets = await Promise.all(deps.targets.map((t) => measureTarget(deps.pinger, t)));
      return { targets, error: null };
    },
  };
}

async function measureTarget(pinger: Pinger, target: LatencyTargetConfig): Promise<LatencyTarget> {
  const base = { role: target.role, host: target.host, method: 'icmp' as const };
  const outcome = await pinger.ping({ host: target.host, count: target.count, timeoutMs: target.timeoutMs });
  if (!outcome.ok) {
    return {
      ...base,
      sent: null,
      received: null,
      lossPct: null,
      rttMinMs: null,
      rttAvgMs: null,
      rttMaxMs: null,
      jitterMs: null,
      error: outcome.code,
    };
  }
  const stats = rttStats(outcome.sent, outcome.rttsMs);
  return { ...base, ...stats, error: stats.received === 0 ? 'no_reply' : null };
}
