import type { Clock } from '@pantau/agent';

/** The simulation's time: `speed` simulated milliseconds pass for each real one. */
export interface SimClock extends Clock {
  readonly speed: number;
}

/** The real timers and monotonic clock, scaled; `startSimMs` is the simulated wall time at creation. */
export function createScaledClock(startSimMs: number, speed: number): SimClock {
  const realStartMs = performance.now();
  const elapsedSimMs = () => (performance.now() - realStartMs) * speed;
  return {
    speed,
    nowMs: () => startSimMs + elapsedSimMs(),
    monotonicMs: () => 1000 + elapsedSimMs(),
    setTimer(ms, fn) {
      const timer = setTimeout(fn, Math.max(0, ms / speed));
      return () => clearTimeout(timer);
    },
  };
}

/** A site's view of the simulation's time: its wall clock is off by what its world says (after a boot). */
export function siteClock(base: Clock, offsetMs: () => number): Clock {
  return {
    nowMs: () => base.nowMs() + offsetMs(),
    monotonicMs: () => base.monotonicMs(),
    setTimer: (ms, fn) => base.setTimer(ms, fn),
  };
}
