import type { SampleInput } from '@pantau/shared';
import type { HistoryCursor } from './history-window.js';

/** How far back the agent looks for a sample that read the dish's history (failed cycles have none). */
export const SEED_LOOKBACK_SAMPLES = 60;

/**
 * The history cursor of the newest of these samples that has one: where the agent's previous run
 * stopped counting the dish's seconds. Its clock readings are that sample's, with no monotonic time.
 */
export function cursorFromSamples(samples: readonly SampleInput[]): HistoryCursor | null {
  const newestFirst = [...samples].sort((a, b) => b.seq - a.seq);
  for (const sample of newestFirst) {
    const terminal = sample.probes?.terminal;
    const counter = terminal?.historyCounter;
    if (terminal === undefined || counter === null || counter === undefined) continue;
    return {
      counter,
      bootCount: terminal.dishBootCount ?? null,
      lastOutageStartMs: terminal.lastOutageStartMs ?? null,
      monotonicMs: null,
      wallMs: sample.wallMs,
      clockSynced: sample.clockSynced,
    };
  }
  return null;
}
