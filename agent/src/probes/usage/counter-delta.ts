/** The bytes one counter moved between two readings, and whether it was reset on the way. */
export interface CounterStep {
  readonly bytes: number;
  readonly reset: boolean;
}

export type CounterBits = 32 | 64;

/**
 * Turns two readings of a byte counter into a byte count, never negative, never absurd.
 *
 * - Forward and plausible: the difference.
 * - Backwards on a 32-bit counter, and the wrapped difference plausible: a wrap (some drivers and
 *   32-bit kernels keep 32-bit counters, which wrap after 4 GiB: 34 s at 1 Gbit/s).
 * - Backwards otherwise, or the source says it restarted (new boot id, router uptime went back): a
 *   reset. The counter restarted from zero, so its value now is what moved since the reset, if that
 *   is plausible. The interval's figure is then partial, and `reset` says so.
 * - Forward but more than `maxBytes` (the most the link can carry in the time): a reset, 0 bytes.
 */
export function counterStep(
  previous: bigint,
  current: bigint,
  bits: CounterBits,
  maxBytes: number,
  sourceRestarted: boolean,
): CounterStep {
  const max = BigInt(Math.max(0, Math.floor(maxBytes)));
  const sinceReset = (): CounterStep => ({ bytes: current >= 0n && current <= max ? Number(current) : 0, reset: true });
  if (sourceRestarted) return sinceReset();
  if (current >= previous) {
    const delta = current - previous;
    return delta <= max ? { bytes: Number(delta), reset: false } : { bytes: 0, reset: true };
  }
  const modulus = 1n << BigInt(bits);
  if (bits === 32 && previous < modulus) {
    const wrapped = modulus - previous + current;
    if (wrapped <= max) return { bytes: Number(wrapped), reset: false };
  }
  return sinceReset();
}

/**
 * The most bytes a link of `maxBitsPerSec` can carry in `elapsedMs`, with room for the read jitter
 * of two counter readings (the time between reads is measured, not the time between the kernel's
 * updates).
 */
export function plausibleBytes(maxBitsPerSec: number, elapsedMs: number): number {
  const JITTER_FACTOR = 1.5;
  const SLACK_BYTES = 1 << 20;
  return Math.ceil(((maxBitsPerSec / 8) * Math.max(0, elapsedMs) * JITTER_FACTOR) / 1000) + SLACK_BYTES;
}
