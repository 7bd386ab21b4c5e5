import { execFile } from 'node:child_process';
import { fail, ok, type Result } from '@pantau/shared';

export type CommandErrorCode = 'command_missing' | 'command_failed' | 'command_timeout' | 'command_bad_output';

export interface CommandRequest {
  readonly file: string;
  readonly args: readonly string[];
  readonly timeoutMs: number;
  /** Output past this kills the command and the run fails: a runaway script cannot fill the Pi's memory. */
  readonly maxOutputBytes: number;
}

/**
 * The IO edge for running a program (`ip neigh`, `vcgencmd`, a site's own battery script):
 * execFile without a shell in production, so arguments are never interpreted; a table in unit tests.
 */
export interface CommandRunner {
  run(request: CommandRequest, signal: AbortSignal): Promise<Result<string, CommandErrorCode>>;
}

export const execFileRunner: CommandRunner = {
  run(request, signal) {
    const { file, timeoutMs, maxOutputBytes } = request;
    return new Promise((resolve) => {
      execFile(
        file,
        [...request.args],
        // SIGKILL: a program that hangs may also ignore SIGTERM, and the cycle must not wait for it.
        { timeout: timeoutMs, maxBuffer: maxOutputBytes, signal, killSignal: 'SIGKILL', encoding: 'utf8' },
        (error, stdout) => {
          if (error === null) return resolve(ok(stdout));
          const e = error as NodeJS.ErrnoException & { killed?: boolean };
          if (e.code === 'ENOENT') return resolve(fail('command_missing', `${file} is not installed`));
          if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
            return resolve(fail('command_bad_output', `${file} printed more than ${maxOutputBytes} bytes`));
          }
          if (e.killed === true || e.name === 'AbortError') {
            return resolve(fail('command_timeout', `${file} did not finish in ${timeoutMs} ms`));
          }
          resolve(fail('command_failed', `${file} failed: ${e.message.split('\n')[0] ?? ''}`));
        },
      );
    });
  },
};
