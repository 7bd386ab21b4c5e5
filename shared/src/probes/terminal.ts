import { z } from 'zod';
import { nullable, sectionError } from './section.js';

/** The kind of terminal the section describes; only Starlink dishes speak to the agent today. */
export const terminalSourceSchema = z.enum(['starlink']);

/**
 * A name the terminal gives (a state, an outage cause, an alert): lower case, as the terminal
 * spells it. A value this version does not know is kept as it came (an enum's number as a string).
 */
const terminalName = z.string().min(1).max(48);

/**
 * The terminal's own view of itself, every sample: its state and link figures from its status, and
 * what its per-second history says about the seconds since the previous sample. Figures the
 * terminal did not give are null. docs/protocol.md says which fields a health evaluator reads.
 */
export const terminalSectionSchema = z.object({
  source: nullable(terminalSourceSchema),
  /** `connected`, or why not: the current outage's cause (`searching`, `booting`, `obstructed`, ...). */
  state: nullable(terminalName),
  /** Round trip from the dish to its point of presence, and the share of those pings dropped (0-100). */
  popPingLatencyMs: nullable(z.number().min(0)),
  popPingDropPct: nullable(z.number().min(0).max(100)),
  /** Whether the sky view is blocked now, the share of time it was (0-100), over how many seconds. */
  obstructed: nullable(z.boolean()),
  obstructedPct: nullable(z.number().min(0).max(100)),
  obstructionValidSec: nullable(z.number().min(0)),
  /** Whether the signal stands above the noise floor (the dish's own test). */
  snrAboveNoiseFloor: nullable(z.boolean()),
  /** The dish's active alerts, sorted, by stable name (e.g. `thermal_throttle`, `slow_ethernet_speeds`). */
  alerts: nullable(z.array(terminalName).max(64)),
  /** The outage the dish is in now (null when none) and how long it has lasted so far. */
  outageCause: nullable(terminalName),
  outageDurationMs: nullable(z.int().min(0)),
  /** Speed of the dish's Ethernet link. */
  ethSpeedMbps: nullable(z.int().min(0)),
  softwareVersion: nullable(z.string().max(64)),
  /** An update is downloaded and waits for a reboot to install. */
  updatePending: nullable(z.boolean()),
  /** The dish's count of its own boots; a change means it rebooted. */
  dishBootCount: nullable(z.int().min(0)),
  /** The dish's history counter (seconds recorded since it booted) at the end of what this sample counted. */
  historyCounter: nullable(z.int().min(0)),
  /** Seconds of the dish's history this sample counted (since the previous sample's counter). */
  historySeconds: nullable(z.int().min(0)),
  /** Seconds since the previous sample that the history no longer held (buffer wrapped, dish rebooted). */
  historyLostSeconds: nullable(z.int().min(0)),
  /** Share of the counted seconds in which any ping to the point of presence was dropped (0-100). */
  pingDropSharePct: nullable(z.number().min(0).max(100)),
  /** Seconds of the outages that ended since the previous sample, by cause (the agent sends at most 32 causes). */
  outageSecondsByCause: nullable(z.record(terminalName, z.number().min(0))),
  /** When the latest outage counted began (epoch ms, from the dish's GPS clock). */
  lastOutageStartMs: nullable(z.int().min(0)),
  error: sectionError,
});
export type TerminalSection = z.infer<typeof terminalSectionSchema>;
