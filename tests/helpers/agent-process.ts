import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { shippedAgentLaunch } from '@pantau/agent/launch';
import { eachLine, jsonObject } from '@pantau/bench/json-lines';
import { AGENT_MAIN, LOOPBACK_ONLY_AGENT_ENV } from './bins.js';
import { waitFor } from './wait.js';

export type LogLine = Record<string, unknown>;

/** The built agent (`pantau-agent run`) in its own process, its output kept line by line. */
export interface AgentProcess {
  readonly child: ChildProcess;
  /** Every line it wrote, stdout and stderr, JSON or not. */
  readonly output: string[];
  /** The lines that parse as JSON objects (its pino log). */
  readonly lines: LogLine[];
  /** Waits for a log line with this event (and whatever else `match` checks). */
  waitForEvent(event: string, match?: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** Resolves when the process has exited, with when it did (Date.now()). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; atMs: number }>;
  /** SIGKILL if still running; for cleanup. */
  kill(): Promise<void>;
}

/**
 * Starts the built agent as its bin's shebang does (the same Node flags: its small heap), with
 * `env` over a minimal environment (PATH, loopback-only latency).
 */
export function startAgentProcess(env: Record<string, string>, args: readonly string[] = ['run']): AgentProcess {
  const launch = shippedAgentLaunch();
  const child = spawn(process.execPath, [...launch.flags, AGENT_MAIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, ...launch.env, ...LOOPBACK_ONLY_AGENT_ENV, ...env },
  });
  const output: string[] = [];
  const lines: LogLine[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    eachLine(stream, (line) => {
      output.push(line);
      // Other lines (a crash's stack) stay in `output`, where a test can show or check them.
      const parsed = jsonObject(line);
      if (parsed !== null) lines.push(parsed as LogLine);
    });
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; atMs: number }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal, atMs: Date.now() }));
  });
  return {
    child,
    output,
    lines,
    waitForEvent: (event, match = () => true, timeoutMs = 20_000) =>
      waitFor(`the agent's ${event}`, () => lines.find((l) => l.event === event && match(l)), timeoutMs),
    exited,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** libfaketime's multi-threaded library, wherever Debian put it for this machine's architecture. */
function libfaketime(): string {
  for (const arch of readdirSync('/usr/lib')) {
    const path = join('/usr/lib', arch, 'faketime', 'libfaketimeMT.so.1');
    if (existsSync(path)) return path;
  }
  throw new Error('libfaketime not found: apt-get install faketime');
}

/**
 * A wall clock the test can step while the process runs: libfaketime reads the offset from
 * `file` at every call. The monotonic clock stays real, as it does when NTP steps a Pi's clock.
 */
export function steppableClock(file: string): { env: Record<string, string>; setOffsetSec(offset: number): void } {
  const setOffsetSec = (offset: number) => writeFileSync(file, `${offset >= 0 ? '+' : ''}${offset}\n`);
  setOffsetSec(0);
  return {
    env: {
      LD_PRELOAD: libfaketime(),
      FAKETIME_TIMESTAMP_FILE: file,
      FAKETIME_NO_CACHE: '1',
      FAKETIME_DONT_FAKE_MONOTONIC: '1',
    },
    setOffsetSec,
  };
}
