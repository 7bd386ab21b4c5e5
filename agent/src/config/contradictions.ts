import type { z } from 'zod';
import type { AgentConfig } from './schema.js';

type Path = (string | number)[];

/** The probe timeout when none is set: 15 s, or three quarters of a shorter sample interval. */
export function defaultProbeTimeoutMs(intervalSec: number): number {
  return Math.min(15_000, (intervalSec * 1000 * 3) / 4);
}

/**
 * Settings that each pass on their own but cannot work together: a wait that can never end before
 * the bound around it, or a bound that lets a cycle run into the next. Each is refused at start with
 * both fields named, so the agent never runs on a config that quietly fails every cycle.
 */
export function refuseContradictions(config: AgentConfig, ctx: z.RefinementCtx): void {
  const issue = (path: Path, message: string) => ctx.addIssue({ code: 'custom', path, message });
  const intervalMs = config.sample.intervalSec * 1000;
  const probeMs = config.sample.probeTimeoutMs;
  if (probeMs >= intervalMs) {
    issue(
      ['sample', 'probeTimeoutMs'],
      `must be below the sample interval (sample.intervalSec ${config.sample.intervalSec} = ${intervalMs} ms), ` +
        'or a slow probe makes each cycle run into the next',
    );
  }
  for (const [path, ms] of probeCallTimeouts(config)) {
    if (ms >= probeMs) {
      issue(
        path,
        `must be below sample.probeTimeoutMs (${probeMs} ms): the cycle gives up on the probe before this call can`,
      );
    }
  }
  refusePowerContradictions(config, probeMs, issue);
  refuseDishContradictions(config, issue);
  const { spool, mqtt } = config;
  if (spool.segmentSamples > spool.maxSamples) {
    issue(
      ['spool', 'segmentSamples'],
      `must not exceed spool.maxSamples (${spool.maxSamples}): the oldest segment is deleted whole when the spool is full`,
    );
  }
  if (mqtt.backoffMinMs > mqtt.backoffMaxMs) {
    issue(['mqtt', 'backoffMinMs'], `must not exceed mqtt.backoffMaxMs (${mqtt.backoffMaxMs})`);
  }
  if (mqtt.caFile !== undefined && !/^(mqtts|ssl|wss):/.test(mqtt.url)) {
    issue(
      ['mqtt', 'caFile'],
      `needs a TLS broker URL (mqtts://host:8883), not ${mqtt.url}: the password would travel in clear`,
    );
  }
  if (mqtt.password !== undefined && mqtt.username === undefined) {
    issue(['mqtt', 'username'], 'a password needs a username (MQTT sends no password without one)');
  }
}

/** The dish's history needs the terminal probe on it, and a site has one dish. */
function refuseDishContradictions(config: AgentConfig, issue: (path: Path, message: string) => void): void {
  const { terminal, uptime, usage } = config.probes;
  if (usage.enabled && usage.source === 'starlink' && !(terminal.enabled && terminal.kind === 'starlink')) {
    issue(
      ['probes', 'usage', 'source'],
      'source starlink needs the terminal probe on a dish (probes.terminal.kind: starlink)',
    );
  }
  const a = terminal.kind === 'starlink' ? terminal : null;
  const b = uptime.terminal.kind === 'starlink' ? uptime.terminal : null;
  if (a !== null && b !== null && (a.host !== b.host || a.port !== b.port)) {
    issue(
      ['probes', 'uptime', 'terminal', 'host'],
      'probes.uptime.terminal and probes.terminal name two different dishes; a site has one',
    );
  }
}

/** Per-call bounds inside the probes that run in the sample cycle, where the probe is on. */
function probeCallTimeouts(config: AgentConfig): [Path, number][] {
  const { uptime, usage, clients } = config.probes;
  const calls: [Path, number][] = [];
  if (uptime.enabled && uptime.terminal.kind === 'starlink') {
    calls.push([['probes', 'uptime', 'terminal', 'timeoutMs'], uptime.terminal.timeoutMs]);
  }
  const { terminal } = config.probes;
  if (terminal.enabled && terminal.kind === 'starlink') {
    calls.push([['probes', 'terminal', 'timeoutMs'], terminal.timeoutMs]);
  }
  if (uptime.enabled && uptime.router !== undefined) {
    calls.push([['probes', 'uptime', 'router', 'timeoutMs'], uptime.router.timeoutMs]);
  }
  if (usage.enabled && usage.source === 'snmp' && usage.snmp !== undefined) {
    calls.push([['probes', 'usage', 'snmp', 'timeoutMs'], usage.snmp.timeoutMs]);
  }
  if (clients.enabled && clients.source === 'snmp' && clients.snmp !== undefined) {
    calls.push([['probes', 'clients', 'snmp', 'timeoutMs'], clients.snmp.timeoutMs]);
  }
  return calls;
}

function refusePowerContradictions(
  config: AgentConfig,
  probeMs: number,
  issue: (path: Path, message: string) => void,
): void {
  const power = config.probes.power;
  if (!power.enabled) return;
  const at = (...keys: string[]): Path => ['probes', 'power', ...keys];
  if (power.timeoutMs >= probeMs) {
    issue(at('timeoutMs'), `must be below sample.probeTimeoutMs (${probeMs} ms), or the cycle cuts the read short`);
  }
  const driverWait: Partial<Record<typeof power.driver, [Path, number]>> = {
    vedirect: [at('vedirect', 'waitMs'), power.vedirect.waitMs],
    epever: [at('epever', 'timeoutMs'), power.epever.timeoutMs],
    command: [at('command', 'timeoutMs'), power.command.timeoutMs],
  };
  const wait = driverWait[power.driver];
  if (wait !== undefined && wait[1] >= power.timeoutMs) {
    issue(
      wait[0],
      `must be below probes.power.timeoutMs (${power.timeoutMs} ms): the read gives up before this wait can end`,
    );
  }
}
