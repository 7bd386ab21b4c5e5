import { Session } from 'node:inspector/promises';
import { PerformanceObserver } from 'node:perf_hooks';

/** One stretch of the event loop busy without a break, and where the time went. */
export interface LongTask {
  readonly ms: number;
  /** Self time by function (name file:line), heaviest first, at most five. */
  readonly top: readonly { readonly frame: string; readonly ms: number }[];
  /** The heaviest sample's stack, innermost first, at most eight frames. */
  readonly stack: readonly string[];
}

export interface LongTaskReport {
  readonly thresholdMs: number;
  readonly tasks: readonly LongTask[];
  /** Garbage collections over the threshold, by kind (V8's: minor, major, incremental, weakcb). */
  readonly gcOverThreshold: readonly { readonly kind: string; readonly ms: number }[];
  readonly gcMaxMs: number;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

const GC_KINDS: Record<number, string> = { 1: 'minor', 2: 'major', 4: 'incremental', 8: 'weakcb' };
const IDLE = new Set(['(idle)']);

/**
 * Finds *which* code blocks the event loop: V8's sampling CPU profiler (1 sample every 250 µs) runs
 * in this process; afterwards every run of consecutive non-idle samples longer than the threshold is
 * one long task, reported with the functions that took its time. A PerformanceObserver on 'gc'
 * tells collector pauses apart. Diagnostic only: the profiler costs CPU and memory, so a footprint
 * run does not use it (`pnpm bench:agent --profile-blocks`).
 */
export async function startLongTaskProbe(thresholdMs: number): Promise<() => Promise<LongTaskReport>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 250 });
  await session.post('Profiler.start');
  const gcs: { kind: string; ms: number }[] = [];
  let gcMaxMs = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcMaxMs = Math.max(gcMaxMs, entry.duration);
      const kind = (entry as unknown as { detail?: { kind?: number } }).detail?.kind ?? 0;
      if (entry.duration > thresholdMs) gcs.push({ kind: GC_KINDS[kind] ?? String(kind), ms: entry.duration });
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return async () => {
    observer.disconnect();
    const { profile } = (await session.post('Profiler.stop')) as unknown as {
      profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
    };
    session.disconnect();
    return { thresholdMs, tasks: longTasks(profile, thresholdMs), gcOverThreshold: gcs, gcMaxMs };
  };
}

function longTasks(
  profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] },
  thresholdMs: number,
): LongTask[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const frame = (n: ProfileNode) =>
    `${n.callFrame.functionName || '(anonymous)'} ` +
    `${n.callFrame.url.replace(/^.*\/(node_modules|src|dist)\//, '$1/')}:${n.callFrame.lineNumber + 1}`;
  const tasks: LongTask[] = [];
  let run: { ids: number[]; ms: number[] } = { ids: [], ms: [] };
  const close = () => {
    const total = run.ms.reduce((a, b) => a + b, 0);
    if (total > thresholdMs) {
      const self = new Map<string, number>();
      for (const [i, id] of run.ids.entries()) {
        const node = byId.get(id) as ProfileNode;
        self.set(frame(node), (self.get(frame(node)) ?? 0) + (run.ms[i] ?? 0));
      }
      const heaviest = run.ids[run.ms.indexOf(Math.max(...run.ms))] ?? run.ids[0];
      const stack: string[] = [];
      for (let id = heaviest; id !== undefined && stack.length < 8; id = parent.get(id)) {
        const node = byId.get(id) as ProfileNode;
        if (node.callFrame.functionName !== '(root)') stack.push(frame(node));
      }
      tasks.push({
        ms: total,
        top: [...self.entries()]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 5)
          .map(([f, ms]) => ({ frame: f, ms: Number(ms.toFixed(2)) })),
        stack,
      });
    }
    run = { ids: [], ms: [] };
  };
  for (const [i, id] of profile.samples.entries()) {
    // A sample's delta is the time since the previous one, so it is charged to this sample.
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const node = byId.get(id);
    if (node === undefined || IDLE.has(node.callFrame.functionName)) {
      close();
      continue;
    }
    run.ids.push(id);
    run.ms.push(ms);
  }
  close();
  return tasks.sort((a, b) => b.ms - a.ms);
}
