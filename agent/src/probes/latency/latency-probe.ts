import { type LatencyRole, type LatencyTarget, type Logger, ROLES_BEYOND_LAN } from '@pantau/shared';
import { icmpEchoBytes, tcpAttemptsBytes } from '../../budget/link-costs.js';
import type { LatencyTargetConfig } from '../../config/schema.js';
import type { LogLimiter } from '../log-limiter.js';
import type { Probe } from '../probe.js';
import type { GatewayDetector } from './gateway.js';
import type { Pinger } from './pinger.js';
import { rttStats } from './rtt-stats.js';
import type { Connector } from './tcp-connector.js';
import { tcpPing } from './tcp-pinger.js';

/** A target as the probe needs it; `method` defaults to icmp, `everySamples` to the role's rate. */
export type LatencyTargetSpec = Pick<LatencyTargetConfig, 'role' | 'host' | 'count' | 'timeoutMs'> &
  Partial<Pick<LatencyTargetConfig, 'method' | 'port' | 'everySamples'>>;

export interface AutoGatewayConfig {
  readonly detector: GatewayDetector;
  readonly count: number;
  readonly timeoutMs: number;
}

export interface LatencyProbeDeps {
  readonly pinger: Pinger;
  readonly targets: readonly LatencyTargetSpec[];
  /** Needed for `method: tcp` targets. */
  readonly connector?: Connector | undefined;
  /** Probe the LAN gateway from the routing table when no gateway target is configured. */
  readonly autoGateway?: AutoGatewayConfig | undefined;
  /** How often each role is probed when a target does not say: every Nth sample (default 1). */
  readonly everySamplesByRole?: Partial<Record<LatencyRole, number>> | undefined;
  /** Probes beyond the LAN (roles internet and noc) are counted here. */
  readonly budget?: { add(bytes: number): void } | undefined;
  /** Failures are logged once per target and code per limiter interval. */
  readonly log?: { readonly logger: Logger; readonly limiter: LogLimiter } | undefined;
}

/** Shown as the host of a gateway target when the routing table names none. */
export const AUTO_GATEWAY_HOST = 'auto';

/**
 * Echoes (ICMP) or connects (TCP) to each due target at once; one target's failure never hides
 * another's. A target is due every `everySamples`th sample (the first sample probes all); a target
 * not due is absent from that sample's `targets`.
 */
export function createLatencyProbe(deps: LatencyProbeDeps): Probe<'latency'> {
  let round = 0;
  const hasGateway = deps.targets.some((t) => t.role === 'gateway');
  const autoGateway = hasGateway ? undefined : deps.autoGateway;

  function due(role: LatencyRole, everySamples: number | undefined): boolean {
    const every = everySamples ?? deps.everySamplesByRole?.[role] ?? 1;
    return round % Math.max(1, every) === 0;
  }

  return {
    name: 'latency',
    async measure(signal) {
      if (deps.targets.length === 0 && autoGateway === undefined) return { targets: [], error: 'no_targets' };
      const jobs: Promise<LatencyTarget>[] = [];
      for (const target of deps.targets) {
        if (due(target.role, target.everySamples)) jobs.push(measureTarget(target, signal));
      }
      // After the configured targets, so their order in the section is the config's.
      if (autoGateway !== undefined && due('gateway', undefined)) jobs.push(measureAutoGateway(autoGateway, signal));
      round += 1;
      const targets = await Promise.all(jobs);
      for (const t of targets) if (t.error !== null) logFailure(t);
      return { targets, error: null };
    },
  };

  async function measureAutoGateway(auto: AutoGatewayConfig, signal: AbortSignal): Promise<LatencyTarget> {
    const gateway = await auto.detector.detect();
    if (!gateway.ok) return failed({ role: 'gateway', host: AUTO_GATEWAY_HOST }, 'icmp', gateway.code);
    return measureTarget(
      { role: 'gateway', host: gateway.value, count: auto.count, timeoutMs: auto.timeoutMs },
      signal,
    );
  }

  async function measureTarget(target: LatencyTargetSpec, signal: AbortSignal): Promise<LatencyTarget> {
    return (target.method ?? 'icmp') === 'tcp' ? measureTcp(target, signal) : measureIcmp(target);
  }

  async function measureIcmp(target: LatencyTargetSpec): Promise<LatencyTarget> {
    const outcome = await deps.pinger.ping({ host: target.host, count: target.count, timeoutMs: target.timeoutMs });
    if (!outcome.ok) return failed(target, 'icmp', outcome.code);
    const stats = rttStats(outcome.sent, outcome.rttsMs);
    charge(target.role, icmpEchoBytes(stats.sent, stats.received));
    return {
      role: target.role,
      host: target.host,
      method: 'icmp',
      ...stats,
      error: stats.received === 0 ? 'no_reply' : null,
    };
  }

  async function measureTcp(target: LatencyTargetSpec, signal: AbortSignal): Promise<LatencyTarget> {
    if (deps.connector === undefined || target.port === undefined) return failed(target, 'tcp', 'tcp_failed');
    const outcome = await tcpPing(
      deps.connector,
      { host: target.host, port: target.port, count: target.count, timeoutMs: target.timeoutMs },
      signal,
    );
    if (!outcome.ok) return failed(target, 'tcp', outcome.code);
    const stats = rttStats(outcome.sent, outcome.rttsMs);
    charge(target.role, tcpAttemptsBytes(stats.received, stats.sent - stats.received));
    // All attempts failed: say how (refused, timed out, unreachable); some failed: loss says it.
    const error = stats.received === 0 ? (outcome.lastFailure ?? 'tcp_failed') : null;
    return { role: target.role, host: target.host, method: 'tcp', ...stats, error };
  }

  function charge(role: LatencyRole, bytes: number): void {
    if (ROLES_BEYOND_LAN.has(role)) deps.budget?.add(bytes);
  }

  function logFailure(target: LatencyTarget): void {
    const log = deps.log;
    const suppressed = log?.limiter.admit(`${target.role}|${target.host}|${target.error}`) ?? null;
    if (log === undefined || suppressed === null) return;
    log.logger.warn(
      {
        event: 'latency_failed',
        role: target.role,
        host: target.host,
        method: target.method,
        code: target.error,
        suppressed,
      },
      'latency target failed (logged once per target and code per interval)',
    );
  }
}

function failed(
  target: { readonly role: LatencyRole; readonly host: string },
  method: 'icmp' | 'tcp',
  code: string,
): LatencyTarget {
  return {
    role: target.role,
    host: target.host,
    method,
    sent: null,
    received: null,
    lossPct: null,
    rttMinMs: null,
    rttAvgMs: null,
    rttMaxMs: null,
    jitterMs: null,
    error: code,
  };
}
