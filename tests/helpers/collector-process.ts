import { type ChildProcess, spawn } from 'node:child_process';
import { eachLine, jsonObject } from '@pantau/bench/json-lines';
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
    eachLine(stream, (line) => {
      output.push(line);
      // Other lines (a crash's stack) stay in `output`, where a test can show or check them.
      const parsed = jsonObject(line);
      if (parsed !== null) lines.push(parsed as CollectorLogLine);
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
