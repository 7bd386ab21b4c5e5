import { describe, expect, it } from 'vitest';
import { createClientTracker } from '../../../../agent/src/probes/clients/client-tracker.js';

const salt = new Uint8Array(16).fill(7);
const MIN = 60_000;

describe('client tracker', () => {
  it('counts distinct devices in the interval and in the rolling hour', () => {
    const tracker = createClientTracker({ salt, maxTracked: 100 });
    expect(tracker.observe(['a', 'b', 'B', 'c'], 0)).toEqual({ interval: 3, hour: 3, dropped: 0 });
    expect(tracker.observe(['c', 'd'], 30 * MIN)).toEqual({ interval: 2, hour: 4, dropped: 0 });
    // An hour after the first look, a and b have not been seen for an hour.
    expect(tracker.observe(['d'], 60 * MIN)).toEqual({ interval: 1, hour: 2, dropped: 0 });
    expect(tracker.observe([], 91 * MIN)).toEqual({ interval: 0, hour: 1, dropped: 0 });
    expect(tracker.observe([], 120 * MIN)).toEqual({ interval: 0, hour: 0, dropped: 0 });
  });

  it('keeps at most maxTracked, dropping the least recently seen and counting the drops', () => {
    const tracker = createClientTracker({ salt, maxTracked: 3 });
    tracker.observe(['a', 'b', 'c'], 0);
    tracker.observe(['a'], MIN);
    const counts = tracker.observe(['d', 'e'], 2 * MIN);
    expect(counts).toEqual({ interval: 2, hour: 3, dropped: 2 });
    // b and c went first: a, seen more recently, is still known, so seeing it is not new.
    expect(tracker.observe(['a'], 3 * MIN).hour).toBe(3);
    const flood = tracker.observe(
      Array.from({ length: 10 }, (_, i) => `x${i}`),
      4 * MIN,
    );
    expect(flood.interval).toBe(3);
    expect(flood.hour).toBe(3);
    expect(flood.dropped).toBe(2 + 7 + 3);
  });
});
