/** What the vector batches share: a sample's required fields and the agent's rounding of a mean. */
import type { SampleInput } from '@pantau/shared';
import { DAY_START_MS } from '../synthetic-samples.js';

export const BOOT = '3f1c2a9e-8d7b-4c6a-9e5f-1a2b3c4d5e6f';
export const T0 = DAY_START_MS;

export const base = (seq: number, extra: Partial<SampleInput> = {}): SampleInput => ({
  seq,
  bootId: BOOT,
  wallMs: T0 + seq * 60_000,
  clockSynced: true,
  uptimeMs: 3_600_000 + seq * 60_000,
  ...extra,
});

/**
 * A mean of `echoes` RTTs printed with `echoDecimals` decimals, as the agent rounds it (three
 * decimals): the sum at `echoDecimals` over the count is a divisor coding with a drop of
 * 3 - echoDecimals.
 */
export function meanOf(random: () => number, echoes: number, echoDecimals: number): number {
  let sum = 0;
  for (let e = 0; e < echoes; e++) sum += Math.round(random() * 900 * 10 ** echoDecimals);
  return Math.round((sum / echoes) * 10 ** (3 - echoDecimals)) / 1000;
}
