import { readFileSync } from 'node:fs';

/** The worst late timer tick, split by where the main thread's time went (Linux schedstat). */
export interface LoopBlock {
  /** How late the tick fired: the event loop was busy or blocked this long. */
  readonly lateMs: number;
  /** Of the tick's wall time: on a CPU (the agent's code, GC, syscalls' CPU). */
  readonly onCpuMs: number;
  /** Runnable but waiting for a CPU: other processes ran. */
  readonly waitingForCpuMs: number;
  /** Neither: asleep in a synchronous call (a disk sync, spawn waiting for the child's exec). */
  readonly blockedMs: number;
}

export interface LoopBlocks {
  /** The latest tick, whatever caused it. */
  readonly worst: LoopBlock;
  /**
   * The longest lateness left once the time spent waiting for a CPU is taken off: what the agent
   * itself caused (its own code, GC, a synchronous syscall such as fdatasync or fork), not the load
   * of other processes on a shared machine.
   */
  readonly worstOwnMs: number;
  /** The most CPU the main thread used between two ticks: the longest stretch of CPU work. */
  readonly maxOnCpuMs: number;
  readonly ticks: number;
}

const TICK_MS = 10;

/**
 * Watches the event loop with a 10 ms timer and, on every tick, the main thread's
 * /proc/self/task/<tid>/schedstat (nanoseconds on a CPU, nanoseconds runnable but waiting for one).
 * On a machine others load too, a late tick is often the kernel running someone else; this tells
 * the two apart. Costs one small /proc read per tick (~0.2 ms of CPU a second).
 */
export function watchLoopBlocks(): () => LoopBlocks {
  const path = `/proc/self/task/${process.pid}/schedstat`;
  const read = () => {
    const [onCpu, waiting] = readFileSync(path, 'utf8').split(' ').map(Number);
    return { atMs: performance.now(), onCpuMs: (onCpu ?? 0) / 1e6, waitingMs: (waiting ?? 0) / 1e6 };
  };
  let last = read();
  let worst: LoopBlock = { lateMs: 0, onCpuMs: 0, waitingForCpuMs: 0, blockedMs: 0 };
  let worstOwnMs = 0;
  let maxOnCpuMs = 0;
  let ticks = 0;
  const timer = setInterval(() => {
    const now = read();
    const lateMs = Math.max(0, now.atMs - last.atMs - TICK_MS);
    const waitingForCpuMs = now.waitingMs - last.waitingMs;
    const onCpuMs = now.onCpuMs - last.onCpuMs;
    // The tick's wall time less CPU and CPU wait; up to TICK_MS of it is the loop's idle wait.
    const blockedMs = Math.max(0, now.atMs - last.atMs - onCpuMs - waitingForCpuMs - TICK_MS);
    if (lateMs > worst.lateMs) worst = { lateMs, onCpuMs, waitingForCpuMs, blockedMs };
    worstOwnMs = Math.max(worstOwnMs, lateMs - waitingForCpuMs);
    maxOnCpuMs = Math.max(maxOnCpuMs, onCpuMs);
    ticks += 1;
    last = now;
  }, TICK_MS);
  return () => {
    clearInterval(timer);
    return { worst, worstOwnMs, maxOnCpuMs, ticks };
  };
}
