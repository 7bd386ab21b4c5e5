import { readFileSync } from 'node:fs';

/** Clock ticks per second for /proc/<pid>/stat times; 100 on every Linux this runs on. */
const TICKS_PER_SECOND = 100;

export interface ProcStats {
  readonly rssBytes: number;
  /** CPU of the process itself. */
  readonly cpuMs: number;
  /** CPU of its children that have exited (cutime + cstime). */
  readonly childCpuMs: number;
  readonly threads: number;
}

/** Reads a process's footprint from /proc, the same way for the agent and for collectd. */
export function procStats(pid: number): ProcStats {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN);
  const threads = Number(/Threads:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  // Fields after the command name (which may hold spaces) start at field 3 (state).
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = (i: number) => Number(fields[i - 3]);
  return {
    rssBytes: rssKb * 1024,
    cpuMs: ((ticks(14) + ticks(15)) * 1000) / TICKS_PER_SECOND,
    childCpuMs: ((ticks(16) + ticks(17)) * 1000) / TICKS_PER_SECOND,
    threads,
  };
}
