import { type AnyProbe, type Clock, type ProbeContext, rttStats } from '@pantau/agent';
import type { PowerReading } from './battery-model.js';
import { between, type Draw } from './draw.js';
import type { SitePlan } from './site-plan.js';
import type { SiteWorld } from './site-world.js';

/** What the simulated probes read: the site's world, on the simulation's clock (not the site's own). */
export interface SimProbeDeps {
  readonly plan: SitePlan;
  readonly world: SiteWorld;
  readonly draw: Draw;
  /** The simulation's time: the world's minutes, whatever the site's own clock says. */
  readonly simClock: Clock;
  readonly context: ProbeContext;
}

const GATEWAY = '192.168.1.1';
const INTERNET = '1.1.1.1';

/**
 * The probes a virtual site runs: each returns the section its real counterpart would, from the
 * simulated world. The agent around them (sampler, spool, publisher, link state, data budget) is
 * the real one, so the agent's own traffic and the link state come from what really happened.
 */
export function createSimProbes(deps: SimProbeDeps): AnyProbe[] {
  const { plan, world, draw, simClock, context } = deps;
  const key = plan.siteId;
  let lastUsageMs: number | null = null;
  let echoes = 0;

  const echo = (role: 'gateway' | 'internet', host: string, reachable: boolean, baseMs: number, spreadMs: number) => {
    echoes += 1;
    const rtts: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      // One echo in a hundred is lost even on a good link.
      if (!reachable || draw(key, 'loss', echoes, i) < 0.01) continue;
      rtts.push(Math.round((baseMs + spreadMs * draw(key, 'rtt', echoes, i)) * 10) / 10);
    }
    const stats = rttStats(3, rtts);
    return { role, host, method: 'icmp' as const, ...stats, error: stats.received === 0 ? 'no_reply' : null };
  };

  return [
    {
      name: 'latency',
      async measure() {
        return {
          targets: [
            echo('gateway', GATEWAY, true, 0.4, 1.2),
            // Starlink's PoP latency over a regional ground station.
            echo('internet', INTERNET, world.uplinkUp, 28, 40),
          ],
        };
      },
    },
    {
      name: 'uptime',
      async measure() {
        const link = context.linkState.snapshot();
        const systemUptimeMs = Math.max(0, Math.round(simClock.nowMs() - world.bootAtMs));
        return {
          systemUptimeMs,
          agentUptimeMs: Math.max(0, Math.round(simClock.monotonicMs() - context.agentStartMonotonicMs)),
          linkUp: link.up,
          linkUptimeMs: link.forMs === null ? null : Math.round(link.forMs),
          previousRunClean: context.previousRunClean,
          // The terminal shares the Pi's power: it booted with it.
          terminalUptimeMs: systemUptimeMs,
          routerUptimeMs: null,
        };
      },
    },
    {
      name: 'usage',
      async measure() {
        const nowMs = simClock.nowMs();
        const fromMs = lastUsageMs ?? nowMs;
        lastUsageMs = nowMs;
        const own = context.trafficMeter.take();
        const budget = context.budget.usage();
        const clients = world.usage(fromMs, nowMs);
        return {
          source: 'interface',
          interface: 'eth1',
          intervalMs: Math.round(nowMs - fromMs),
          rxBytes: clients.rxBytes + own.rxBytes,
          txBytes: clients.txBytes + own.txBytes,
          peakRxBitsPerSec: clients.peakRxBitsPerSec,
          peakTxBitsPerSec: clients.peakTxBitsPerSec,
          agentRxBytes: own.rxBytes,
          agentTxBytes: own.txBytes,
          budgetUsedBytes: budget.budgetUsedBytes,
          budgetCapBytes: budget.budgetCapBytes,
        };
      },
    },
    {
      name: 'clients',
      async measure() {
        const nowMs = simClock.nowMs();
        const minute = world.usage(nowMs - 60_000, nowMs).clients;
        const hour = Math.round(minute + world.expectedClients(nowMs) * between(draw(key, 'hour', nowMs), 0.5, 1.5));
        return { source: 'dhcp', clientsInterval: minute, clientsHour: hour };
      },
    },
    {
      name: 'power',
      measure: async () => powerSection(world.power, plan),
    },
  ];
}

/** The power section an EPever controller would give for the battery's state. */
export function powerSection(p: PowerReading, plan: Pick<SitePlan, 'lowVoltageDisconnectVolts'>) {
  return {
    source: 'epever' as const,
    batteryVolts: p.batteryVolts,
    batteryAmps: p.batteryAmps,
    panelVolts: p.panelVolts,
    solarWatts: p.solarWatts,
    chargeState: p.chargeState,
    lowVoltageDisconnectVolts: plan.lowVoltageDisconnectVolts,
    chargerError: 0,
  };
}
