import { rttStats } from '@pantau/agent';
import type { SampleInput } from '@pantau/shared';
import { seeded } from './seeded.js';

export const SAMPLES_PER_DAY = 1440;
/** Midnight of the simulated day. */
export const DAY_START_MS = 1_795_392_000_000;

/**
 * A day of realistic 1-minute samples with every probe's fields filled in (the worst case for the
 * data budget), values that drift and jitter as a real site's do. Deterministic: a seeded generator.
 */
export function syntheticSample(seq: number, startWallMs: number, random: () => number): SampleInput {
  const minute = seq;
  const hour = (minute / 60) % 24;
  const sun = Math.max(0, Math.sin(((hour - 6) / 12) * Math.PI));
  const jitter = (base: number, spread: number, digits = 2) =>
    Number((base + (random() - 0.5) * 2 * spread).toFixed(digits));
  // Each echo's time as iputils prints it (three significant digits: 0.456, 1.23, 42.3, 123), then
  // the figures the latency probe derives from them (rttStats, the agent's own code).
  const echoMs = (base: number) => {
    const ms = base * (0.9 + random() * 0.2) + base * 0.3 * random() ** 3;
    const decimals = ms >= 100 ? 0 : ms >= 10 ? 1 : ms >= 1 ? 2 : 3;
    return Number(ms.toFixed(decimals));
  };
  const ping = (role: 'gateway' | 'terminal' | 'internet', host: string, base: number) => {
    const received = random() < 0.03 ? 2 : 3;
    const rttsMs = Array.from({ length: received }, () => echoMs(base));
    return { role, host, method: 'icmp' as const, ...rttStats(3, rttsMs), error: null };
  };
  // /proc/uptime counts hundredths of a second; the sampler's own clock is whole milliseconds, and
  // a sample is taken some milliseconds after its minute (scheduling, probe order).
  const lateMs = Math.round(random() * 40);
  const systemUptimeMs = Math.floor((86_400_000 + minute * 60_000 + lateMs + 3) / 10) * 10;
  const clients = Math.round(sun * 12 + random() * 4);
  const rxBytes = Math.round(clients * (200_000 + random() * 2_000_000));
  return {
    seq,
    bootId: '3f1c2a9e-8d7b-4c6a-9e5f-1a2b3c4d5e6f',
    wallMs: startWallMs + minute * 60_000 + lateMs,
    clockSynced: true,
    uptimeMs: 86_400_000 + minute * 60_000 + lateMs,
    probes: {
      latency: {
        targets: [
          ping('gateway', '192.168.1.1', 0.5),
          ping('terminal', '192.168.100.1', 1.2),
          ping('internet', '1.1.1.1', 42),
        ],
        error: null,
      },
      uptime: {
        systemUptimeMs,
        agentUptimeMs: 86_310_000 + minute * 60_000 + lateMs + Math.round(random() * 4),
        linkUp: true,
        linkUptimeMs: 7_200_000 + minute * 60_000 + lateMs,
        previousRunClean: false,
        // The dish reports whole seconds.
        terminalUptimeMs: Math.floor((604_800_000 + minute * 60_000 + lateMs) / 1000) * 1000,
        routerUptimeMs: null,
        error: null,
      },
      usage: {
        source: 'interface',
        interface: 'eth1',
        intervalMs: 60_000 + Math.round((random() - 0.5) * 40),
        rxBytes,
        txBytes: Math.round(rxBytes * (0.08 + random() * 0.05)),
        peakRxBitsPerSec: Math.round((rxBytes * 8 * (2 + random() * 3)) / 60),
        peakTxBitsPerSec: Math.round((rxBytes * 0.8 * (2 + random() * 3)) / 60),
        agentRxBytes: 40 + Math.round(random() * 20),
        agentTxBytes: 160 + Math.round(random() * 40),
        counterReset: false,
        budgetUsedBytes: 1_830_211 + minute * 700,
        budgetCapBytes: 5_000_000,
        error: null,
      },
      clients: {
        source: 'dhcp',
        clientsInterval: clients,
        clientsHour: clients + Math.round(random() * 6),
        error: null,
      },
      power: {
        source: 'vedirect',
        batteryVolts: jitter(12.4 + sun * 1.2, 0.05),
        batteryAmps: jitter(sun * 6 - 1.8, 0.3),
        batteryTempCelsius: jitter(31, 1, 1),
        panelVolts: jitter(sun * 19, 0.4),
        solarWatts: Math.round(sun * 90 + random() * 5),
        chargeState: sun > 0.7 ? 'absorption' : sun > 0.05 ? 'bulk' : 'off',
        batteryMaxVoltsToday: 13.9,
        batteryMinVoltsToday: 12.1,
        lowVoltageDisconnectVolts: 11.1,
        chargerError: 0,
        underVoltageNow: false,
        underVoltageSinceBoot: false,
        throttledFlags: 0,
        error: null,
      },
      // An active test four times a day.
      ...(minute % 360 === 0
        ? {
            throughput: {
              endpointHost: 'speed.noc.example',
              downBytes: 2_000_000,
              downMs: Math.round(800 + random() * 400),
              downBitsPerSec: Math.round(16_000_000 + random() * 4_000_000),
              upBytes: 500_000,
              upMs: Math.round(700 + random() * 300),
              upBitsPerSec: Math.round(5_000_000 + random() * 1_000_000),
              error: null,
            },
          }
        : {}),
    },
  };
}

/**
 * `count` of the simulated day's samples from minute `first` (bench:wire's seeded day), and a
 * sending time a minute after the last.
 */
export function daySamples(first: number, count: number): { samples: SampleInput[]; sentAtMs: number } {
  const random = seeded(7);
  const samples = Array.from({ length: count }, (_, i) => syntheticSample(first + i, DAY_START_MS, random));
  return { samples, sentAtMs: DAY_START_MS + (first + count) * 60_000 };
}

/**
 * The simulated day cut into the batches an agent delivering every `minutes` sends (as bench:wire
 * measures it): the samples of each period, sent as its last minute ends.
 */
export function dayBatches(minutes: number): { samples: SampleInput[]; sentAtMs: number }[] {
  const { samples } = daySamples(0, SAMPLES_PER_DAY);
  const batches: { samples: SampleInput[]; sentAtMs: number }[] = [];
  for (let first = 0; first < SAMPLES_PER_DAY; first += minutes) {
    const count = Math.min(minutes, SAMPLES_PER_DAY - first);
    batches.push({ samples: samples.slice(first, first + count), sentAtMs: DAY_START_MS + (first + count) * 60_000 });
  }
  return batches;
}
