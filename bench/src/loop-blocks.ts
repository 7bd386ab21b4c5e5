import { readFileSync } from 'node:fs';

/** The worst late timer tick, split by where the main thread's time went (Linux schedstat). */
export interface LoopBlock {
  /** How late the tick fired: the event loop was busy or blocked this long. */
  readonly lateMs: number;
  /** Of the tick's wall time: on a CPU, and runnable but waiting for a CPU (other processes ran). */
  readonly onCpuMs: number;
  readonly waitingForCpuMs: number;
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
  let worst: LoopBlock = { lateMs: 0, onCpuMs: 0, waitingForCpuMs: 0 };
  let worstOwnMs = 0;
  let ticks = 0;
  const timer = setInterval(() => {
    const now = read();
    const lateMs = Math.max(0, now.atMs - last.atMs - TICK_MS);
    const waitingForCpuMs = now.waitingMs - last.waitingMs;
    const block = { lateMs, onCpuMs: now.onCpuMs - last.onCpuMs, waitingForCpuMs };
    if (lateMs > worst.lateMs) worst = block;
    worstOwnMs = Math.max(worstOwnMs, lateMs - waitingForCpuMs);
    ticks += 1;
    last = now;
  }, TICK_MS);
  return () => {
    clearInterval(timer);
    return { worst, worstOwnMs, ticks };
  };
}
