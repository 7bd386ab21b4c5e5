import type { Logger } from '@pantau/shared';
import type { Clock } from '../../clock.js';
import type { AgentConfig } from '../../config/schema.js';
import type { HostInfo } from '../../host/host-info.js';
import type { SnmpClient, SnmpTarget } from '../../snmp/snmp-client.js';
import type { LogLimiter } from '../log-limiter.js';
import type { Probe } from '../probe.js';
import type { StarlinkDish } from '../terminal/starlink-dish.js';
import type { LinkState } from './link-state.js';
import { createRouterUptimeSource } from './router-uptime.js';
import { createStarlinkUptimeSource } from './starlink-uptime.js';
import { createUptimeProbe } from './uptime-probe.js';

export interface UptimeProbeIo {
  readonly clock: Clock;
  readonly host: HostInfo;
  readonly agentStartMonotonicMs: number;
  readonly previousRunClean: boolean | null;
  readonly linkState: Pick<LinkState, 'snapshot'>;
  readonly snmp: SnmpClient;
  /** The site's dish, shared with the terminal probe; null when none is configured. */
  readonly dish: StarlinkDish | null;
  readonly log: { readonly logger: Logger; readonly limiter: LogLimiter };
}

/**
 * The router asked for its uptime: `probes.uptime.router`, else the router the usage or clients
 * probe already asks over SNMP (one router per site; no second community string to configure).
 */
export function routerSnmpTarget(probes: AgentConfig['probes']): SnmpTarget | null {
  if (probes.uptime.router !== undefined) return probes.uptime.router;
  if (probes.usage.enabled && probes.usage.source === 'snmp' && probes.usage.snmp !== undefined) {
    return probes.usage.snmp;
  }
  if (probes.clients.enabled && probes.clients.source === 'snmp' && probes.clients.snmp !== undefined) {
    return probes.clients.snmp;
  }
  return null;
}

/** The uptime probe from its config: which router it asks; the terminal is the site's dish, if any. */
export function buildUptimeProbe(probes: AgentConfig['probes'], io: UptimeProbeIo): Probe<'uptime'> {
  const routerTarget = routerSnmpTarget(probes);
  return createUptimeProbe({
    host: io.host,
    clock: io.clock,
    agentStartMonotonicMs: io.agentStartMonotonicMs,
    previousRunClean: io.previousRunClean,
    link: io.linkState,
    router:
      routerTarget === null
        ? undefined
        : createRouterUptimeSource({ client: io.snmp, target: pickTarget(routerTarget), clock: io.clock }),
    terminal: io.dish === null ? undefined : createStarlinkUptimeSource(io.dish),
    log: io.log,
  });
}

function pickTarget(t: SnmpTarget): SnmpTarget {
  return { host: t.host, port: t.port, community: t.community, timeoutMs: t.timeoutMs };
}
