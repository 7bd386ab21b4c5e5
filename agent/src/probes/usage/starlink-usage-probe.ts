import type { BudgetUsage } from '../../budget/data-budget.js';
import type { FailureLog } from '../failure-log.js';
import type { Probe } from '../probe.js';
import type { HistoryTracker } from '../terminal/history-tracker.js';
import type { TrafficMeter } from './traffic-meter.js';
import { nullFigures } from './usage-probe.js';

/**
 * Usage from the Starlink dish's own per-second history: the bytes through the dish whether or not
 * the Pi is inline. The seconds are the ones the terminal probe counts in the same sample (one
 * history read, one cursor), so a second is counted once. When the history no longer held all the
 * seconds since the previous sample (the buffer wrapped while the agent was away), the figures are
 * what it held, `counterReset` is true and `error` says `history_wrapped`; after a dish reboot the
 * figures are partial and `counterReset` is true.
 */
export function createStarlinkUsageProbe(deps: {
  readonly history: HistoryTracker;
  readonly meter: TrafficMeter;
  readonly failures: FailureLog;
  readonly budget: () => BudgetUsage;
}): Probe<'usage'> {
  return {
    name: 'usage',
    async measure(signal) {
      const agent = deps.meter.take();
      const base = {
        source: 'starlink' as const,
        agentRxBytes: agent.rxBytes,
        agentTxBytes: agent.txBytes,
        ...deps.budget(),
      };
      const window = await deps.history.window(signal);
      if (!window.ok) {
        deps.failures.failed(window.code, window.message);
        return { ...base, ...nullFigures, error: window.code };
      }
      deps.failures.succeeded();
      const w = window.value;
      if (w.baseline) return { ...base, ...nullFigures, error: 'no_baseline' };
      return {
        ...base,
        interface: null,
        intervalMs: w.seconds * 1000,
        rxBytes: w.downBytes,
        txBytes: w.upBytes,
        peakRxBitsPerSec: w.peakDownBitsPerSec,
        peakTxBitsPerSec: w.peakUpBitsPerSec,
        counterReset: w.rebooted || w.lostSeconds > 0,
        error: w.lostSeconds > 0 ? 'history_wrapped' : null,
      };
    },
  };
}
