import { execFile } from 'node:child_process';
import { fail, ok, type Result } from '@pantau/shared';

export type CommandErrorCode = 'command_missing' | 'command_failed' | 'command_timeout';

export interface CommandRequest {
  readonly file: string;
  readonly args: readonly string[];
  readonly timeoutMs: number;
  /** Output past this is cut off and the run fails: a command cannot fill the Pi's memory. */
  readonly maxOutputBytes: number;
}

/** The IO edge for running a program: execFile (no shell) in production, a table in unit tests. */
export interface CommandRunner {
  run(request: CommandRequest, signal: AbortSignal): Promise<Result<string, CommandErrorCode>>;
}

export const execFileRunner: CommandRunner = {
  run(request, signal) {
    return new Promise((resolve) => {
      execFile(
        request.file,
        [...request.args],
        { timeout: request.timeoutMs, maxBuffer: request.maxOutputBytes, signal, encoding: 'utf8' },
        (error, stdout) => {
          if (error === null) return resolve(ok(stdout));
          const e = error as NodeJS.ErrnoException & { killed?: boolean };
          if (e.code === 'ENOENT') return resolve(fail('command_missing', `${request.file} is not installed`));
          if (e.killed === true || e.name === 'AbortError') {
            return resolve(fail('command_timeout', `${request.file} took longer than ${request.timeoutMs} ms`));
          }
          resolve(fail('command_failed', `${request.file} failed: ${e.message.split('\n')[0] ?? ''}`));
        },
      );
    });
  },
};
