import { describe, expect, it } from 'vitest';
import { counterStep, plausibleBytes } from '../../../../agent/src/probes/usage/counter-delta.js';

const TWO_32 = 2n ** 32n;
const MAX = 10_000_000;

describe('counterStep', () => {
  it('is the difference when the counter moved forward', () => {
    expect(counterStep(1000n, 4000n, 64, MAX, false)).toEqual({ bytes: 3000, reset: false });
    expect(counterStep(5n, 5n, 64, MAX, false)).toEqual({ bytes: 0, reset: false });
  });

  it('sees a 32-bit counter wrap past 4 GiB as traffic, not a reset', () => {
    expect(counterStep(TWO_32 - 100n, 50n, 32, MAX, false)).toEqual({ bytes: 150, reset: false });
  });

  it('calls a 32-bit step backwards a reset when the wrap would be more than the link carries', () => {
    expect(counterStep(3_000_000n, 1000n, 32, MAX, false)).toEqual({ bytes: 1000, reset: true });
  });

  it('calls any step backwards of a 64-bit counter a reset, counting what moved since', () => {
    expect(counterStep(TWO_32 - 100n, 50n, 64, MAX, false)).toEqual({ bytes: 50, reset: true });
  });

  it('never reports an absurd figure: a jump beyond the link is a reset with 0 bytes', () => {
    expect(counterStep(0n, 10n ** 15n, 64, MAX, false)).toEqual({ bytes: 0, reset: true });
    expect(counterStep(10n ** 15n, 10n ** 14n, 64, MAX, false)).toEqual({ bytes: 0, reset: true });
  });

  it('trusts a restart of the owner (new boot, router reboot) over the numbers', () => {
    expect(counterStep(100n, 5000n, 64, MAX, true)).toEqual({ bytes: 5000, reset: true });
  });

  it('is never negative, whatever the readings', () => {
    const values = [0n, 1n, 99n, TWO_32 - 1n, TWO_32, TWO_32 + 5n, 2n ** 63n];
    for (const a of values)
      for (const b of values)
        for (const bits of [32, 64] as const) {
          const step = counterStep(a, b, bits, MAX, false);
          expect(step.bytes).toBeGreaterThanOrEqual(0);
          expect(step.bytes).toBeLessThanOrEqual(MAX);
        }
  });

  it('allows what the link can carry in the time, with room for read jitter', () => {
    // 1 Gbit/s for 5 s is 625 MB.
    expect(plausibleBytes(1e9, 5000)).toBeGreaterThan(625_000_000);
    expect(plausibleBytes(1e9, 5000)).toBeLessThan(1_000_000_000);
  });
});
