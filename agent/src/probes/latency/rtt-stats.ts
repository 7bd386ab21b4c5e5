import { percent, roundMs } from '@pantau/shared';

export interface RttStats {
  readonly sent: number;
  readonly received: number;
  readonly lossPct: number;
  readonly rttMinMs: number | null;
  readonly rttAvgMs: number | null;
  readonly rttMaxMs: number | null;
  readonly jitterMs: number | null;
}

/**
 * Loss and round-trip figures for one run of echoes. Jitter is the mean absolute difference between
 * consecutive round trips (RFC 3550's D without its smoothing); it needs two replies.
 */
export function rttStats(sent: number, rttsMs: readonly number[]): RttStats {
  const received = rttsMs.length;
  const lossPct = percent(Math.max(0, sent - received), sent);
  if (received === 0) {
    return { sent, received, lossPct, rttMinMs: null, rttAvgMs: null, rttMaxMs: null, jitterMs: null };
  }
  const sum = rttsMs.reduce((a, b) => a + b, 0);
  let diffSum = 0;
  for (let i = 1; i < received; i++) diffSum += Math.abs((rttsMs[i] ?? 0) - (rttsMs[i - 1] ?? 0));
  return {
    sent,
    received,
    lossPct,
    rttMinMs: roundMs(Math.min(...rttsMs)),
    rttAvgMs: roundMs(sum / received),
    rttMaxMs: roundMs(Math.max(...rttsMs)),
    jitterMs: received >= 2 ? roundMs(diffSum / (received - 1)) : null,
  };
}
