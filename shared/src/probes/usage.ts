import { z } from 'zod';
import { nullable, sectionError } from './section.js';

/** Where the usage figures came from: the Pi's interface, the router (SNMP), the dish's history. */
export const usageSourceSchema = z.enum(['interface', 'snmp', 'starlink']);

/**
 * Passive throughput: the site's traffic in one sample interval. `rx` is traffic into the site (from
 * the internet), `tx` out of it. Totals include the agent's own telemetry, which is also reported on
 * its own so planners can tell client traffic from ours (client = total - agent).
 */
export const usageSectionSchema = z.object({
  source: nullable(usageSourceSchema),
  /** Interface name (e.g. `eth0`) or SNMP `ifDescr`; never a client address. */
  interface: nullable(z.string().max(64)),
  /** The time the counter difference covers. */
  intervalMs: nullable(z.int().min(0)),
  rxBytes: nullable(z.int().min(0)),
  txBytes: nullable(z.int().min(0)),
  /** Highest rate seen over the sub-intervals the source allows (bits per second). */
  peakRxBitsPerSec: nullable(z.number().min(0)),
  peakTxBitsPerSec: nullable(z.number().min(0)),
  /** Bytes the agent itself sent and received (MQTT, probes) in the interval. */
  agentRxBytes: nullable(z.int().min(0)),
  agentTxBytes: nullable(z.int().min(0)),
  /** True when a counter went backwards (reboot, reset, wrap) and the interval's figure is partial. */
  counterReset: z.boolean().default(false),
  /** Bytes the agent has spent this month against its data budget, and the budget. */
  budgetUsedBytes: nullable(z.int().min(0)),
  budgetCapBytes: nullable(z.int().min(0)),
  error: sectionError,
});
export type UsageSection = z.infer<typeof usageSectionSchema>;
