import type { Clock } from '@pantau/agent';

/**
 * A clock that moves only when told, firing due timers in order: the agent's delivery code runs a
 * simulated day in seconds. The tests' FakeClock is this clock.
 */
export class StepClock implements Clock {
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 0;
  constructor(
    private wallMs: number,
    private monoMs = 1000,
  ) {}
  nowMs = () => this.wallMs;
  monotonicMs = () => this.monoMs;
  setTimer = (ms: number, fn: () => void) => {
    const id = this.nextId++;
    this.timers.push({ at: this.monoMs + ms, fn, id });
    return () => {
      this.timers = this.timers.filter((t) => t.id !== id);
    };
  };
  advance(ms: number): void {
    const target = this.monoMs + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      this.timers = this.timers.filter((t) => t.id !== due.id);
      // A timer overdue after `stall` fires late, at the time it is now.
      const at = Math.max(due.at, this.monoMs);
      this.wallMs += at - this.monoMs;
      this.monoMs = at;
      due.fn();
    }
    this.wallMs += target - this.monoMs;
    this.monoMs = target;
  }
  /** Time passes with the event loop held: no timer fires until the next `advance`. */
  stall(ms: number): void {
    this.wallMs += ms;
    this.monoMs += ms;
  }
  /** The wall clock alone is set (NTP stepping it); the monotonic clock does not move. */
  stepWall(ms: number): void {
    this.wallMs += ms;
  }
  get pendingTimers(): number {
    return this.timers.length;
  }
}
