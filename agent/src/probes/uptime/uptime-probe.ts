import type { Logger } from '@pantau/shared';
import type { Clock } from '../../clock.js';
import type { HostInfo } from '../../host/host-info.js';
import type { LogLimiter } from '../log-limiter.js';
import type { Probe } from '../probe.js';
import type { LinkState } from './link-state.js';
import type { RouterUptimeSource } from './router-uptime.js';
import type { TerminalUptimeSource } from './starlink-uptime.js';

export interface UptimeProbeDeps {
  readonly host: HostInfo;
  readonly clock: Clock;
  /** `clock.monotonicMs()` when the agent started. */
  readonly agentStartMonotonicMs: number;
  /** From the clean-shutdown marker read at start; null where there is no run (the self-test). */
  readonly previousRunClean?: boolean | null | undefined;
  readonly link?: Pick<LinkState, 'snapshot'> | undefined;
  /** The site router (SNMP sysUpTime), where configured. */
  readonly router?: RouterUptimeSource | undefined;
  /** The terminal (a Starlink dish over gRPC), where configured. */
  readonly terminal?: TerminalUptimeSource | undefined;
  /** A failing source logs once per source and code per limiter interval. */
  readonly log?: { readonly logger: Logger; readonly limiter: LogLimiter } | undefined;
}

type Source = 'system' | 'terminal' | 'router';
type Outcome =
  | { readonly ok: true; readonly value: number }
  | { readonly ok: false; readonly code: string; readonly message: string };

/**
 * Uptimes of the Pi, the agent, the link, the terminal and the router. The sources are asked at
 * once, each bounded by its own timeout (and all by the sampler's). One that fails gives null and
 * its code; `error` holds the first failure in the order system, terminal, router, and the log
 * line names each. The next cycle asks again.
 */
export function createUptimeProbe(deps: UptimeProbeDeps): Probe<'uptime'> {
  const none: Promise<null> = Promise.resolve(null);
  return {
    name: 'uptime',
    async measure(signal) {
      // Read before anything is awaited: the link as it stood when this cycle began, that is the
      // previous sample's latency result and MQTT events up to now. The agent feeds this cycle's
      // latency result in after the sample is complete (it is in this sample's latency section).
      const link = deps.link?.snapshot() ?? { up: null, forMs: null };
      const agentUptimeMs = Math.max(0, Math.round(deps.clock.monotonicMs() - deps.agentStartMonotonicMs));
      const [system, terminal, router] = await Promise.all([
        deps.host.uptimeMs(),
        deps.terminal?.read(signal) ?? none,
        deps.router?.read(signal) ?? none,
      ]);
      const outcomes: readonly (readonly [Source, Outcome | null])[] = [
        ['system', system],
        ['terminal', terminal],
        ['router', router],
      ];
      let error: string | null = null;
      for (const [source, outcome] of outcomes) {
        if (outcome?.ok !== false) continue;
        error ??= outcome.code;
        logFailure(source, outcome);
      }
      return {
        systemUptimeMs: figure(system),
        agentUptimeMs,
        linkUp: link.up,
        linkUptimeMs: link.forMs,
        previousRunClean: deps.previousRunClean ?? null,
        terminalUptimeMs: figure(terminal),
        routerUptimeMs: figure(router),
        error,
      };
    },
  };

  function logFailure(source: Source, failure: { code: string; message: string }): void {
    const log = deps.log;
    const suppressed = log?.limiter.admit(`${source}|${failure.code}`) ?? null;
    if (log === undefined || suppressed === null) return;
    log.logger.warn(
      { event: 'uptime_source_failed', source, code: failure.code, err: failure.message, suppressed },
      'uptime source failed (logged once per source and code per interval)',
    );
  }
}

function figure(outcome: Outcome | null): number | null {
  return outcome?.ok === true ? outcome.value : null;
}
