/** What a fuzz run counts and the worst cases it met, as the worker reports them. */
import type { FuzzCase } from './cases.js';
import type { Outcome } from './oracle.js';

export interface Worst {
  readonly value: number;
  readonly index: number;
  readonly name: string;
  readonly bytes: number;
}

export interface FuzzStats {
  cases: number;
  accepted: number;
  rejectsByCode: Record<string, number>;
  casesByStrategy: Record<string, number>;
  casesByKind: Record<string, number>;
  cpuMsTotal: number;
  worstCpuMs: Worst;
  worstWallMs: Worst;
  worstHeapBytes: Worst;
  /** The costliest of each payload made to reach a limit (limit-probes.ts), by its name. */
  limitProbes: Record<string, { cpuMs: number; heapBytes: number; bytes: number }>;
}

const none: Worst = { value: 0, index: -1, name: '', bytes: 0 };

export function emptyStats(): FuzzStats {
  return {
    cases: 0,
    accepted: 0,
    rejectsByCode: {},
    casesByStrategy: {},
    casesByKind: {},
    cpuMsTotal: 0,
    worstCpuMs: none,
    worstWallMs: none,
    worstHeapBytes: none,
    limitProbes: {},
  };
}

const bump = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

export function record(stats: FuzzStats, c: FuzzCase, o: Outcome): void {
  stats.cases += 1;
  if (o.ok) stats.accepted += 1;
  else bump(stats.rejectsByCode, o.code ?? 'unknown');
  bump(stats.casesByStrategy, c.name.split(':')[0]?.split(' ')[0] ?? c.name);
  bump(stats.casesByKind, c.kind);
  stats.cpuMsTotal += o.cpuMs;
  const worst = (w: Worst, value: number): Worst =>
    value > w.value ? { value, index: c.index, name: c.name, bytes: c.payload.byteLength } : w;
  stats.worstCpuMs = worst(stats.worstCpuMs, o.cpuMs);
  stats.worstWallMs = worst(stats.worstWallMs, o.wallMs);
  stats.worstHeapBytes = worst(stats.worstHeapBytes, o.heapBytes);
  if (c.name.startsWith('limit:')) {
    const seen = stats.limitProbes[c.name] ?? { cpuMs: 0, heapBytes: 0, bytes: c.payload.byteLength };
    stats.limitProbes[c.name] = {
      cpuMs: Math.max(seen.cpuMs, o.cpuMs),
      heapBytes: Math.max(seen.heapBytes, o.heapBytes),
      bytes: c.payload.byteLength,
    };
  }
}
