import { z } from 'zod';
import type { Rollup } from '../../store/rollup.js';

export const seriesSchema = z.object({
  grain: z.enum(['hour', 'day']),
  t: z.array(z.number()),
  rttMsByRole: z.record(z.string(), z.array(z.number().nullable())),
  lossPct: z.array(z.number().nullable()),
  downBytes: z.array(z.number().nullable()),
  upBytes: z.array(z.number().nullable()),
  clientsMax: z.array(z.number().nullable()),
  activeMinutes: z.array(z.number().nullable()),
  onlineMinutes: z.array(z.number().nullable()),
  batteryMinVolts: z.array(z.number().nullable()),
  batteryMaxVolts: z.array(z.number().nullable()),
  solarWatts: z.array(z.number().nullable()),
  throughput: z.array(z.object({ atMs: z.number(), downMbps: z.number().nullable(), upMbps: z.number().nullable() })),
});
export type Series = z.infer<typeof seriesSchema>;

const mbps = (bits: number | null) => (bits === null ? null : Math.round(bits / 10_000) / 100);

/**
 * A site's series from its roll-ups, aligned on bucket starts. Round trips are each role's median
 * in the bucket; bytes are the clients' traffic (the agent's own excluded); solar watts are the
 * bucket's mean. Loss is not rolled up, so its array holds nulls (docs/api.md).
 */
export function seriesOf(grain: 'hour' | 'day', rollups: readonly Rollup[]): Series {
  const roles = [...new Set(rollups.flatMap((r) => Object.keys(r.latency)))].sort();
  return {
    grain,
    t: rollups.map((r) => r.bucketMs),
    rttMsByRole: Object.fromEntries(roles.map((role) => [role, rollups.map((r) => r.latency[role]?.p50Ms ?? null)])),
    lossPct: rollups.map(() => null),
    downBytes: rollups.map((r) => r.clientRxBytes),
    upBytes: rollups.map((r) => r.clientTxBytes),
    clientsMax: rollups.map((r) => r.clientsMax),
    activeMinutes: rollups.map((r) => r.activeMinutes),
    onlineMinutes: rollups.map((r) => r.onlineMinutes),
    batteryMinVolts: rollups.map((r) => r.batteryMinVolts),
    batteryMaxVolts: rollups.map((r) => r.batteryMaxVolts),
    solarWatts: rollups.map((r) => r.solarMeanWatts),
    throughput: rollups.flatMap((r) =>
      r.throughput.map((t) => ({ atMs: t.atMs, downMbps: mbps(t.downBitsPerSec), upMbps: mbps(t.upBitsPerSec) })),
    ),
  };
}
