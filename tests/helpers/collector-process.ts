import { type ChildProcess, spawn } from 'node:child_process';
import { COLLECTOR_MAIN } from './bins.js';
import { waitFor } from './wait.js';

export type CollectorLogLine = Record<string, unknown>;

/** The built collector (`pantau-collector serve --config FILE`) in its own process, its log kept. */
export interface CollectorProcess {
  readonly child: ChildProcess;
  readonly lines: CollectorLogLine[];
  waitForEvent(event: string, match?: (line: CollectorLogLine) => boolean): Promise<CollectorLogLine>;
  /** SIGTERM and wait for the exit (a clean stop). */
  stop(): Promise<void>;
  /** SIGKILL if still running; for cleanup. */
  kill(): Promise<void>;
}

export function startCollectorProcess(configPath: string): CollectorProcess {
  const child = spawn(process.execPath, [COLLECTOR_MAIN, 'serve', '--config', configPath], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH },
  });
  const lines: CollectorLogLine[] = [];
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    let pending = '';
    stream?.on('data', (chunk) => {
      pending += String(chunk);
      const complete = pending.split('\n');
      pending = complete.pop() ?? '';
      for (const line of complete) {
        output.push(line);
        try {
          const parsed: unknown = JSON.parse(line);
          if (typeof parsed === 'object' && parsed !== null) lines.push(parsed as CollectorLogLine);
        } catch {
          // Not JSON (a crash's stack): kept in `output` for the failure message.
        }
      }
    });
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    lines,
    waitForEvent: (event, match = () => true) =>
      waitFor(`the collector's ${event}`, () => {
        if (!running()) throw new Error(`the collector exited:\n${output.slice(-20).join('\n')}`);
        return lines.find((l) => l.event === event && match(l));
      }),
    async stop() {
      if (running()) child.kill('SIGTERM');
      await exited;
    },
    async kill() {
      if (running()) child.kill('SIGKILL');
      await exited;
    },
  };
}
