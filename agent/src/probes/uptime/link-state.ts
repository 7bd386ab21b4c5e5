import { type LatencyRole, ROLES_BEYOND_LAN } from '@pantau/shared';
import type { Clock } from '../../clock.js';

/**
 * Whether the site reaches the internet, and since when, from two kinds of evidence:
 *
 * 1. The latency probe's `internet` and `noc` targets, each time one of them is measured: up when
 *    any of them answered (an echo reply, a connection, or a TCP refusal: a host beyond the link
 *    sent it), down when none did and echoes went out or the name did not resolve (the users' DNS
 *    fails too). A target that could not be measured at all (`ping_missing`) tells nothing. This
 *    is the primary evidence: a direct check every cycle.
 * 2. The MQTT connection to the NOC's broker. A connection coming up is proof of the link (the
 *    broker is beyond it). A connection lost counts as down only where no internet/noc target
 *    exists: with targets, the next cycle decides, so a broker restart at the NOC is not a site
 *    outage. A connection that mqtt.js still calls up is not fresh evidence: it notices a dead
 *    link only after 1.5 × keepalive (minutes), so it never outvotes a failed check.
 *
 * The latest evidence wins. `sinceMs` is when the state last changed, or when it first became
 * known in this run of the agent (so after a restart the duration counts from the restart).
 */
export type LinkEvidence = 'latency' | 'mqtt';

export interface LinkSnapshot {
  /** null until anything has told (no internet/noc target measured, never connected). */
  readonly up: boolean | null;
  /** How long `up` has held, on the monotonic clock; null with `up`. */
  readonly forMs: number | null;
}

/** What the tracker reads of a latency section (a sample as taken, before defaults are applied). */
export interface LatencyEvidence {
  readonly targets?:
    | readonly {
        readonly role: LatencyRole;
        readonly sent?: number | null | undefined;
        readonly received?: number | null | undefined;
        readonly error?: string | null | undefined;
      }[]
    | undefined;
}
type TargetEvidence = NonNullable<LatencyEvidence['targets']>[number];

export interface LinkState {
  /** A sample's latency section (targets not measured this time are absent and tell nothing). */
  observeLatency(section: LatencyEvidence | undefined): void;
  mqttConnected(): void;
  /** A connection that was up closed (before any connection, it tells nothing). */
  mqttLost(): void;
  snapshot(): LinkSnapshot;
}

export function createLinkState(clock: Clock): LinkState {
  let up: boolean | null = null;
  let sinceMs = 0;
  let latencyEverTold = false;
  let mqttEverConnected = false;

  function set(next: boolean): void {
    if (up === next) return;
    up = next;
    sinceMs = clock.monotonicMs();
  }

  return {
    observeLatency(section) {
      const told = (section?.targets ?? [])
        .filter((t) => ROLES_BEYOND_LAN.has(t.role))
        .map(targetSays)
        .filter((says) => says !== null);
      if (told.length === 0) return;
      latencyEverTold = true;
      set(told.includes(true));
    },
    mqttConnected() {
      mqttEverConnected = true;
      set(true);
    },
    mqttLost() {
      if (mqttEverConnected && !latencyEverTold) set(false);
    },
    snapshot() {
      if (up === null) return { up: null, forMs: null };
      return { up, forMs: Math.max(0, Math.round(clock.monotonicMs() - sinceMs)) };
    },
  };
}

/** What one measured target says of the link; null when it could not be measured. */
function targetSays(t: TargetEvidence): boolean | null {
  if ((t.received ?? 0) > 0 || t.error === 'tcp_refused') return true;
  if (t.error === 'host_unresolved') return false;
  if ((t.sent ?? 0) > 0) return false;
  return null;
}
