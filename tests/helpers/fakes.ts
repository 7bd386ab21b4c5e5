import { Writable } from 'node:stream';
import type { Clock, FileReader, HostInfo, Pinger, PingOutcome, PingRequest, Scheduler } from '@pantau/agent';
import { createLogger, type Logger, ok } from '@pantau/shared';

/** A clock that moves only when told to; timers fire as time passes them. */
export class FakeClock implements Clock {
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 0;
  constructor(
    private wallMs = 1_800_000_000_000,
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
  /** Moves time forward, firing due timers in order. */
  advance(ms: number): void {
    const target = this.monoMs + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      this.timers = this.timers.filter((t) => t.id !== due.id);
      this.wallMs += due.at - this.monoMs;
      this.monoMs = due.at;
      due.fn();
    }
    this.wallMs += target - this.monoMs;
    this.monoMs = target;
  }
  get pendingTimers(): number {
    return this.timers.length;
  }
}

export function fakeFiles(files: Record<string, string>): FileReader {
  return {
    async readText(path) {
      const text = files[path];
      if (text === undefined)
        throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: 'ENOENT' });
      return text;
    },
    exists: async (path) => path in files,
  };
}

export function fakeHost(overrides: Partial<HostInfo> = {}): HostInfo {
  return {
    bootId: async () => ok('3f1c2a9e-8d7b-4c6a-9e5f-1a2b3c4d5e6f'),
    uptimeMs: async () => ok(3_600_000),
    clockSynced: async () => true,
    ...overrides,
  };
}

/** Answers each host from a table; records every request. */
export class FakePinger implements Pinger {
  readonly requests: PingRequest[] = [];
  constructor(private readonly answers: Record<string, PingOutcome>) {}
  async ping(request: PingRequest): Promise<PingOutcome> {
    this.requests.push(request);
    return this.answers[request.host] ?? { ok: false, code: 'host_unresolved', message: 'no answer configured' };
  }
}

/** Jobs run only when the test says so. */
export class ManualScheduler implements Scheduler {
  jobs: { expression: string; job: () => Promise<void> }[] = [];
  schedule(expression: string, job: () => Promise<void>): () => void {
    const entry = { expression, job };
    this.jobs.push(entry);
    return () => {
      this.jobs = this.jobs.filter((j) => j !== entry);
    };
  }
  async fire(): Promise<void> {
    await Promise.all(this.jobs.map((j) => j.job()));
  }
}

/** A logger whose lines the test can read as objects. */
export function captureLogger(level: 'debug' | 'info' | 'warn' = 'debug'): {
  log: Logger;
  lines: Record<string, unknown>[];
} {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: createLogger('test', level, stream), lines };
}

export const silentLogger = (): Logger => createLogger('test', 'silent');
