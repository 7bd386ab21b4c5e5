import type { ProbeSectionInput } from '@pantau/shared';
import type { FailureLog } from '../failure-log.js';
import type { Probe } from '../probe.js';
import type { DishStatus } from './dish-status.js';
import type { HistoryTracker } from './history-tracker.js';
import type { HistoryWindow } from './history-window.js';
import type { StarlinkDish } from './starlink-dish.js';

type TerminalSection = ProbeSectionInput<'terminal'>;

/**
 * The terminal's own view, every sample: the dish's status (state, PoP ping, obstruction, SNR,
 * alerts, the current outage, Ethernet, software) and what its history says of the seconds since
 * the previous sample. A status that fails gives nulls and its code; a history that fails leaves
 * the history figures null (the status still counts) and its code in `error`.
 */
export function createTerminalProbe(deps: {
  readonly dish: StarlinkDish;
  readonly history: HistoryTracker;
  readonly failures: FailureLog;
}): Probe<'terminal'> {
  return {
    name: 'terminal',
    async measure(signal) {
      const [status, window] = await Promise.all([deps.dish.status(signal), deps.history.window(signal)]);
      const failure = !status.ok ? status : !window.ok ? window : null;
      if (failure === null) deps.failures.succeeded();
      else deps.failures.failed(failure.code, failure.message);
      return {
        source: 'starlink',
        ...(status.ok ? statusFigures(status.value) : {}),
        ...(window.ok ? windowFigures(window.value) : {}),
        error: failure?.code ?? null,
      };
    },
  };
}

function statusFigures(s: DishStatus): TerminalSection {
  return {
    state: s.state,
    popPingLatencyMs: s.popPingLatencyMs,
    popPingDropPct: s.popPingDropPct,
    obstructed: s.obstruction?.obstructed ?? null,
    obstructedPct: s.obstruction?.obstructedPct ?? null,
    obstructionValidSec: s.obstruction?.validSec ?? null,
    snrAboveNoiseFloor: s.snrAboveNoiseFloor,
    alerts: s.alerts === null ? null : [...s.alerts],
    outageCause: s.outage?.cause ?? null,
    outageDurationMs: s.outage?.durationMs ?? null,
    ethSpeedMbps: s.ethSpeedMbps,
    softwareVersion: s.softwareVersion,
    updatePending: s.updatePending,
    dishBootCount: s.bootCount,
  };
}

function windowFigures(w: HistoryWindow): TerminalSection {
  return {
    historyCounter: w.next.counter,
    lastOutageStartMs: w.next.lastOutageStartMs,
    // A baseline counts nothing: its figures are not zero, they are not measured.
    historySeconds: w.baseline ? null : w.seconds,
    historyLostSeconds: w.baseline ? null : w.lostSeconds,
    pingDropSharePct: w.baseline ? null : w.pingDropSharePct,
    outageSecondsByCause: w.baseline ? null : { ...w.outageSecondsByCause },
  };
}
