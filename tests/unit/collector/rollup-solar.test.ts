import { describe, expect, it } from 'vitest';
import { computeRollup, type FactRow } from '../../../collector/src/store/rollup.js';

const HOUR0 = Date.UTC(2026, 0, 5, 10);

/** A sample at minute `m` of the hour, with only its solar figure. */
function row(seq: number, m: number, solarWatts: number | null): FactRow {
  return {
    seq,
    effectiveMs: HOUR0 + m * 60_000,
    rxBytes: null,
    txBytes: null,
    clientRxBytes: null,
    clientTxBytes: null,
    clients: null,
    batteryVolts: null,
    solarWatts,
    rttGatewayMs: null,
    rttTerminalMs: null,
    rttInternetMs: null,
    rttNocMs: null,
    throughputDownBitsPerSec: null,
    throughputUpBitsPerSec: null,
  };
}

describe('computeRollup: solar power', () => {
  it('means the solar watts of the samples that reported them, skipping those that did not', () => {
    const rows = [row(1, 0, 40), row(2, 15, null), row(3, 30, 80), row(4, 45, 0), row(5, 59, null)];
    const hour = computeRollup('s1', 'hour', HOUR0, rows, null);
    // (40 + 80 + 0) / 3, not / 5: a sample without a reading is not a dark panel.
    expect(hour.solarMeanWatts).toBe(40);
    expect(hour.samples).toBe(5);
  });

  it('gives null when no sample reported solar power, and for an empty bucket', () => {
    expect(computeRollup('s1', 'hour', HOUR0, [row(1, 0, null), row(2, 1, null)], null).solarMeanWatts).toBeNull();
    expect(computeRollup('s1', 'day', HOUR0, [], null).solarMeanWatts).toBeNull();
  });

  it('keeps a night of zeros as zero, not null', () => {
    expect(computeRollup('s1', 'hour', HOUR0, [row(1, 0, 0), row(2, 30, 0)], null).solarMeanWatts).toBe(0);
  });
});
