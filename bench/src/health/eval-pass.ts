import {
  Controls,
  createAlertPolicy,
  createHealthEngine,
  createSunCache,
  defaultHealthConfig,
  type HealthSample,
} from '@pantau/collector';
import { registeredFleet } from '../fleet.js';
import { seeded } from '../seeded.js';

/**
 * One evaluation pass of site health over a registered fleet (target: <= 1 s for 100,000 sites):
 * the engine's tick (silence, settling wills, degradation and power staleness, NOC checks) and the
 * alert policy's tick, at steady state, when a quarter of the sites fall silent in one pass, and
 * when all of them do. Storage is not part of the pass (the store role commits what it changed).
 */
const PASSES = 7;
/** The target for one pass over 100,000 sites. */
export const TARGET_PASS_MS = 1000;
const START_MS = Date.UTC(2026, 10, 23, 12, 0); // 20:00 WITA: night, the battery rules are live

function sample(seq: number, atMs: number, volts: number): HealthSample {
  return {
    seq,
    bootId: 'b1',
    atMs,
    clockSynced: true,
    uptimeMs: 86_400_000 + seq * 60_000,
    agentUptimeMs: 86_000_000 + seq * 60_000,
    linkUp: true,
    previousRunClean: true,
    terminalUptimeMs: 900_000_000,
    terminalDown: false,
    routerUptimeMs: null,
    dishOutage: null,
    batteryVolts: volts,
    lowVoltageDisconnectVolts: null,
    underVoltageNow: false,
    underVoltageSinceBoot: false,
    rttMs: 45,
    lossPct: 0,
  };
}

/** Wall and CPU time of `fn` (CPU: this process's user + system time; less noisy on a shared machine). */
function timed<T>(fn: () => T): { value: T; wallMs: number; cpuMs: number } {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { value, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export interface EvalPassResult {
  /** What a person reads, one figure a line. */
  readonly lines: string[];
  /** The figures, for the JSON line. */
  readonly summary: {
    readonly sites: number;
    readonly steadyPassMs: number;
    readonly steadyPassCpuMs: number;
    readonly quarterSilentPassMs: number;
    readonly quarterSilentPassCpuMs: number;
    readonly quarterFiringPassMs: number;
    readonly quarterFiringPassCpuMs: number;
    readonly allSilentPassMs: number;
    readonly allSilentPassCpuMs: number;
    readonly microsPerBatch: number;
    readonly targetPassMs: number;
    readonly worstPassMs: number;
    readonly worstPassCpuMs: number;
    readonly met: boolean;
  };
}

/** Feeds `sites` registered sites an hour of samples, then times evaluation passes over them. */
export function runEvalPasses(siteCount: number): EvalPassResult {
  const random = seeded(11);
  const config = defaultHealthConfig();
  const records = registeredFleet(siteCount, random);
  const byId = new Map(records.map((r) => [r.siteId, r]));
  let ids = 0;
  const newId = (prefix: string) => `${prefix}/${++ids}`;
  const controls = new Controls();
  const engine = createHealthEngine({ config, newId, inMaintenance: () => false, sun: createSunCache() });
  const policy = createAlertPolicy({ config, controls, siteOf: (id) => byId.get(id) ?? null, newId });
  engine.start(
    { sites: [], noc: null, savedAtMs: null },
    records.map((r) => ({ ...r, decommissionedMs: null })),
    START_MS - 3_600_000,
  );

  // An hour of 5-minute batches from every site, so each has its rhythm, battery readings and quality.
  let now = START_MS - 3_600_000;
  let seq = 0;
  const deliver = (fromSite: number) => {
    now += 300_000;
    seq += 5;
    for (let i = fromSite; i < siteCount; i++) {
      const list = Array.from({ length: 5 }, (_, k) =>
        sample(seq - 4 + k, now - (4 - k) * 60_000, 12.8 - 0.002 * (seq - 4 + k)),
      );
      policy.apply(engine.onSamples(`site-${i}`, list, now).changes);
    }
    policy.tick(now);
  };
  const feedStart = performance.now();
  for (let round = 0; round < 12; round++) deliver(0);
  const feedMs = performance.now() - feedStart;
  const batches = 12 * siteCount;

  const pass = () =>
    timed(() => {
      const step = engine.tick(now);
      policy.apply(step.changes);
      return { changes: step.changes.length, decided: policy.tick(now) };
    });
  const steady: number[] = [];
  const steadyCpu: number[] = [];
  for (let p = 0; p < PASSES; p++) {
    now += 5000;
    const t = pass();
    steady.push(t.wallMs);
    steadyCpu.push(t.cpuMs);
  }

  // A quarter of the fleet stops delivering at once (under the NOC storm share, so each is judged
  // on its own): the pass that finds them silent, then the pass that fires them (in area incidents).
  const quarter = Math.floor(siteCount / 4);
  for (let round = 0; round < 3; round++) deliver(quarter);
  now += 5000;
  const quarterSilent = pass();
  now += 25_000;
  const quarterFiring = pass();

  // Then every site at once, without wills (a hung broker): held by one NOC incident.
  now += 15 * 60_000;
  const allSilent = pass();
  const allSilentMs = allSilent.wallMs;
  const firing = quarterFiring;
  const silent = quarterSilent;

  const steadyMs = median(steady);
  const all = [...steady, silent.wallMs, firing.wallMs, allSilentMs];
  const allCpu = [...steadyCpu, silent.cpuMs, firing.cpuMs, allSilent.cpuMs];
  const worstMs = Math.max(...all);
  const worstCpuMs = Math.max(...allCpu);
  const n = (v: number) => v.toLocaleString('en');
  const lines = [
    `Pantau health: one evaluation pass over ${n(siteCount)} registered sites (engine + alert policy, no store)`,
    `steady state, median of ${PASSES} passes: ${steadyMs.toFixed(1)} ms wall, ${median(steadyCpu).toFixed(1)} ms CPU`,
    `a quarter silent in one pass: ${silent.wallMs.toFixed(0)} ms wall, ${silent.cpuMs.toFixed(0)} ms CPU (${n(silent.value.changes)} changes)`,
    `the pass firing them: ${firing.wallMs.toFixed(0)} ms wall, ${firing.cpuMs.toFixed(0)} ms CPU (${n(firing.value.decided.publications.length)} states, ${n(firing.value.decided.notifications.length)} notifications)`,
    `every site silent at once (held as one NOC incident): ${allSilentMs.toFixed(0)} ms wall, ${allSilent.cpuMs.toFixed(0)} ms CPU`,
    `feeding: ${((feedMs * 1000) / batches).toFixed(1)} µs per 5-sample batch (${n(batches)} batches)`,
    `target <= 1000 ms a pass: ${worstCpuMs <= TARGET_PASS_MS ? 'MET' : 'NOT MET'} by CPU time (worst ${worstCpuMs.toFixed(0)} ms), ${worstMs <= TARGET_PASS_MS ? 'MET' : 'NOT MET'} by wall time (worst ${worstMs.toFixed(0)} ms; a shared 2-core machine is noisy)`,
  ];
  return {
    lines,
    summary: {
      sites: siteCount,
      steadyPassMs: Number(steadyMs.toFixed(1)),
      steadyPassCpuMs: Number(median(steadyCpu).toFixed(1)),
      quarterSilentPassMs: Number(silent.wallMs.toFixed(1)),
      quarterSilentPassCpuMs: Number(silent.cpuMs.toFixed(1)),
      quarterFiringPassMs: Number(firing.wallMs.toFixed(1)),
      quarterFiringPassCpuMs: Number(firing.cpuMs.toFixed(1)),
      allSilentPassMs: Number(allSilentMs.toFixed(1)),
      allSilentPassCpuMs: Number(allSilent.cpuMs.toFixed(1)),
      microsPerBatch: Number(((feedMs * 1000) / batches).toFixed(1)),
      targetPassMs: TARGET_PASS_MS,
      worstPassMs: Number(worstMs.toFixed(1)),
      worstPassCpuMs: Number(worstCpuMs.toFixed(1)),
      met: worstCpuMs <= TARGET_PASS_MS,
    },
  };
}
