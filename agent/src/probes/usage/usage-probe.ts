import type { BudgetUsage } from '../../budget/data-budget.js';
import type { FailureLog } from '../failure-log.js';
import type { Probe } from '../probe.js';
import type { CounterSource } from './counter-source.js';
import type { RateSampler } from './rate-sampler.js';
import type { TrafficMeter } from './traffic-meter.js';

export interface UsageProbeDeps {
  readonly kind: CounterSource['kind'];
  readonly sampler: RateSampler;
  readonly meter: TrafficMeter;
  readonly failures: FailureLog;
  /** The site's data budget so far this month (the agent's own bytes and probes beyond the LAN). */
  readonly budget: () => BudgetUsage;
}

/** A usage probe also owns a timer (the rate sampler), which the agent stops. */
export interface UsageProbe extends Probe<'usage'> {
  stop(): Promise<void>;
}

/**
 * Passive throughput: the site's bytes in and out over the sample interval and the peak rate, from
 * the counters of the Pi's own interface or the router's. The agent's own bytes come from the
 * traffic meter the publisher feeds; they are reported even when the counters cannot be read,
 * and so is the data budget spent this month.
 */
export function createUsageProbe(deps: UsageProbeDeps): UsageProbe {
  return {
    name: 'usage',
    async measure(signal) {
      const agent = deps.meter.take();
      const base = {
        source: deps.kind,
        agentRxBytes: agent.rxBytes,
        agentTxBytes: agent.txBytes,
        ...deps.budget(),
      };
      const outcome = await deps.sampler.take(signal);
      if (!outcome.ok) {
        // A baseline is not a failure, and an abandoned sample is logged by the sampler as a timeout.
        if (outcome.code !== 'no_baseline' && outcome.code !== 'aborted') {
          deps.failures.failed(outcome.code, outcome.message);
        }
        return { ...base, ...nullFigures, error: outcome.code };
      }
      deps.failures.succeeded();
      return { ...base, ...outcome.value, error: null };
    },
    stop: async () => deps.sampler.stop(),
  };
}

export const nullFigures = {
  interface: null,
  intervalMs: null,
  rxBytes: null,
  txBytes: null,
  peakRxBitsPerSec: null,
  peakTxBitsPerSec: null,
  counterReset: false,
};
