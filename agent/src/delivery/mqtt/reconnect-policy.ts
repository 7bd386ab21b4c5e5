import { createBackoff } from '../backoff.js';

/** How a connection attempt ended, as far as the next wait is concerned. */
export type AttemptOutcome =
  /** Up long enough to count as working: the waits start again from the base. */
  | 'worked'
  /** No broker answered, or it dropped the connection without a reason: it may be restarting. */
  | 'unreachable'
  /** The broker turned the site away (credentials, ACL, another client with its id). */
  | 'refused';

export interface ReconnectOptions {
  readonly minMs: number;
  /** The longest wait after the broker refused the site: a misconfigured site does not hammer it. */
  readonly maxMs: number;
  /** The longest wait otherwise: once the broker is back, the site returns within this. */
  readonly reconnectWithinMs: number;
}

/**
 * The wait before the next connection attempt: full jitter over a ceiling that doubles from
 * `minMs`, so a fleet that lost the broker together comes back spread out. The ceiling stops at
 * `reconnectWithinMs` while the broker is away (a restart, an outage), which bounds how long a
 * site stays away from a broker that is back; only a broker that refuses the site lets it grow
 * to `maxMs`.
 */
export interface ReconnectPolicy {
  waitAfter(outcome: AttemptOutcome): number;
  /** Attempts since the last one that worked. */
  readonly attempts: number;
}

export function createReconnectPolicy(options: ReconnectOptions, random: () => number): ReconnectPolicy {
  const backoff = createBackoff({ baseMs: options.minMs, capMs: options.maxMs }, random);
  return {
    waitAfter(outcome) {
      if (outcome === 'worked') backoff.reset();
      return backoff.next(outcome === 'refused' ? options.maxMs : Math.min(options.maxMs, options.reconnectWithinMs));
    },
    get attempts() {
      return backoff.attempts;
    },
  };
}

/**
 * CONNACK codes that mean "try again soon": MQTT 3.1.1 §3.2.2.3 code 3 (server unavailable) and
 * MQTT 5 §3.2.2.2 0x88 (server unavailable). Any other refusal is about the site.
 */
const TRANSIENT_CONNACK = new Set([3, 0x88]);

/** DISCONNECT reasons (MQTT 5 §3.14.2.1) that turn the site away: not authorized, banned, session taken over. */
const REFUSING_DISCONNECT = new Set([0x87, 0x8a, 0x8e]);

/** What an attempt's end says about the broker, from what it answered and how long it lasted. */
export function attemptOutcome(attempt: {
  /** The CONNACK refusal code, or null. */
  readonly refusedCode: number | null;
  /** TLS refused the broker's certificate (not signed by the pinned CA, or another host's name). */
  readonly untrusted?: boolean;
  /** The broker's DISCONNECT reason code, or null. */
  readonly disconnectReason: number | null;
  /** How long the connection was up, or null if it never was. */
  readonly upMs: number | null;
  readonly stableMs: number;
}): AttemptOutcome {
  if (attempt.untrusted === true) return 'refused';
  if (attempt.refusedCode !== null && !TRANSIENT_CONNACK.has(attempt.refusedCode)) return 'refused';
  if (attempt.disconnectReason !== null && REFUSING_DISCONNECT.has(attempt.disconnectReason)) return 'refused';
  if (attempt.upMs !== null && attempt.upMs >= attempt.stableMs) return 'worked';
  return 'unreachable';
}
