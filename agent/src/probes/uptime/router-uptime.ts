import type { Result } from '@pantau/shared';
import type { Clock } from '../../clock.js';
import type { SnmpClient, SnmpErrorCode, SnmpTarget } from '../../snmp/snmp-client.js';
import { readRouterUptimeMs } from '../usage/snmp-counters.js';

/**
 * sysUpTime is TimeTicks: an unsigned 32-bit count of hundredths of a second (RFC 2578 §7.1.8), so
 * it wraps to 0 after 2^32 cs, about 497.1 days, and a router up that long reads small again.
 */
export const SYS_UPTIME_WRAP_MS = 2 ** 32 * 10;

/** Router clocks drift and samples are late; a wrap is accepted within this of where it should be. */
const WRAP_SLACK_MS = 60_000;

/**
 * Unwraps sysUpTime across readings. A reading below the previous one is a wrap when it is where a
 * wrap would put it (previous + time elapsed - 497.1 days, within a minute and 1 % of the elapsed
 * time); otherwise the router rebooted and the count starts again. What the agent cannot see (a
 * router up over 497 days when the agent started, or a wrap while the agent was not running) reads
 * modulo 497.1 days: a lower bound, never a made-up figure.
 */
export function createUptimeUnwrapper() {
  let last: { rawMs: number; atMs: number } | null = null;
  let wraps = 0;
  return {
    /** `rawMs` is sysUpTime × 10; `atMs` a monotonic time of the reading. */
    next(rawMs: number, atMs: number): number {
      if (last !== null && rawMs < last.rawMs) {
        const elapsedMs = atMs - last.atMs;
        const expectedMs = last.rawMs + elapsedMs - SYS_UPTIME_WRAP_MS;
        const wrapped = Math.abs(rawMs - expectedMs) <= WRAP_SLACK_MS + elapsedMs * 0.01;
        wraps = wrapped ? wraps + 1 : 0;
      }
      last = { rawMs, atMs };
      return rawMs + wraps * SYS_UPTIME_WRAP_MS;
    },
  };
}

export interface RouterUptimeSource {
  read(signal: AbortSignal): Promise<Result<number, SnmpErrorCode>>;
}

/** The site router's uptime over SNMP (sysUpTime.0), unwrapped. */
export function createRouterUptimeSource(deps: {
  readonly client: SnmpClient;
  readonly target: SnmpTarget;
  readonly clock: Clock;
}): RouterUptimeSource {
  const unwrapper = createUptimeUnwrapper();
  return {
    async read(signal) {
      const answer = await readRouterUptimeMs(deps.client, deps.target, signal);
      if (!answer.ok) return answer;
      return { ok: true, value: unwrapper.next(answer.value, deps.clock.monotonicMs()) };
    },
  };
}
