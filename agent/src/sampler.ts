import type { Logger, ProbeName, ProbeSectionInput, SampleInput } from '@pantau/shared';
import type { Clock } from './clock.js';
import type { HostInfo } from './host/host-info.js';
import type { AnyProbe } from './probes/probe.js';
import { type CycleTick, ON_TIME } from './schedule/cycles.js';

type Sections = { [N in ProbeName]?: ProbeSectionInput<N> };

export interface SamplerDeps {
  readonly probes: readonly AnyProbe[];
  readonly clock: Clock;
  readonly host: HostInfo;
  readonly bootId: string;
  /** Hands out the next sequence number; durable, so numbers are never reused. */
  readonly nextSeq: () => number;
  readonly probeTimeoutMs: number;
  /** `clock.monotonicMs()` when the agent started, and the system uptime then, for a fallback. */
  readonly agentStartMonotonicMs: number;
  readonly log: Logger;
}

/**
 * Takes one sample: stamps identity and time at the start, runs every probe at once, each bounded
 * by the probe timeout. A probe that fails or overruns still yields its section, with an error code.
 */
export function createSampler(deps: SamplerDeps) {
  let fallbackUptimeBaseMs: number | null = null;

  async function uptimeNowMs(): Promise<number> {
    const uptime = await deps.host.uptimeMs();
    const agentMs = deps.clock.monotonicMs() - deps.agentStartMonotonicMs;
    if (uptime.ok) {
      fallbackUptimeBaseMs = uptime.value - agentMs;
      return uptime.value;
    }
    // Without /proc/uptime, time since agent start keeps the same boot's samples ordered.
    return Math.max(0, Math.round((fallbackUptimeBaseMs ?? 0) + agentMs));
  }

  async function runProbe(probe: AnyProbe): Promise<[ProbeName, unknown]> {
    const controller = new AbortController();
    let cancelTimer = () => {};
    const timedOut = new Promise<{ error: string }>((resolve) => {
      cancelTimer = deps.clock.setTimer(deps.probeTimeoutMs, () => {
        controller.abort();
        resolve({ error: 'probe_timeout' });
      });
    });
    try {
      const section = await Promise.race([probe.measure(controller.signal), timedOut]);
      return [probe.name, section];
    } catch (error) {
      // A throw is a bug in the probe; the sample still goes out, with the bug's code.
      deps.log.error({ probe: probe.name, err: error }, 'probe crashed');
      return [probe.name, { error: 'probe_crashed' }];
    } finally {
      cancelTimer();
    }
  }

  return {
    /** `tick` says how the schedule kept time; a skipped slot or a late start shows in the sample. */
    async take(tick: CycleTick = ON_TIME): Promise<SampleInput> {
      const wallMs = deps.clock.nowMs();
      const uptimeMs = await uptimeNowMs();
      const clockSynced = await deps.host.clockSynced();
      const seq = deps.nextSeq();
      const results = await Promise.all(deps.probes.map(runProbe));
      // A probe with nothing to report this time (undefined) leaves no section.
      const probes = Object.fromEntries(results.filter(([, section]) => section !== undefined)) as Sections;
      return {
        seq,
        bootId: deps.bootId,
        wallMs: Math.round(wallMs),
        clockSynced,
        uptimeMs,
        ...(tick.skippedCycles > 0 ? { skippedCycles: tick.skippedCycles } : {}),
        ...(tick.lateMs > 0 ? { lateMs: tick.lateMs } : {}),
        probes,
      };
    },
  };
}
export type Sampler = ReturnType<typeof createSampler>;
