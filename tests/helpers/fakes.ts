import { Writable } from 'node:stream';
import type { CalendarWhen, FileReader, HostInfo, Pinger, PingOutcome, PingRequest, Scheduler } from '@pantau/agent';
import { StepClock } from '@pantau/bench/step-clock';
import { createLogger, type Logger, ok } from '@pantau/shared';

/** A clock that moves only when told to; timers fire as time passes them (the benches' clock). */
export class FakeClock extends StepClock {
  constructor(wallMs = 1_800_000_000_000, monoMs = 1000) {
    super(wallMs, monoMs);
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
  jobs: { when: CalendarWhen; job: () => Promise<void> }[] = [];
  schedule(when: CalendarWhen, job: () => Promise<void>): () => void {
    const entry = { when, job };
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
