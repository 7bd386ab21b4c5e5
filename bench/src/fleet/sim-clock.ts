import type { Clock } from '@pantau/agent';

/** The simulation's time: `speed` simulated milliseconds pass for each real one. */
export interface SimClock extends Clock {
  readonly speed: number;
  /** From now on, this many simulated milliseconds a real one (timers already set keep their real delay). */
  setSpeed(speed: number): void;
}

/** The real timers and monotonic clock, scaled; `startSimMs` is the simulated wall time at creation. */
export function createScaledClock(startSimMs: number, initialSpeed: number): SimClock {
  let speed = initialSpeed;
  let anchorRealMs = performance.now();
  let anchorElapsedSimMs = 0;
  const elapsedSimMs = () => anchorElapsedSimMs + (performance.now() - anchorRealMs) * speed;
  return {
    get speed() {
      return speed;
    },
    setSpeed(next) {
      anchorElapsedSimMs = elapsedSimMs();
      anchorRealMs = performance.now();
      speed = next;
    },
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
