import { execFile } from 'node:child_process';
import { fail, ok, type Result } from '@pantau/shared';

export interface CommandRequest {
  readonly file: string;
  readonly args: readonly string[];
  readonly timeoutMs: number;
  /** Output beyond this kills the command: a runaway script must not fill the Pi's memory. */
  readonly maxOutputBytes: number;
  readonly signal: AbortSignal;
}

export type CommandErrorCode = 'command_failed' | 'command_timeout' | 'command_bad_output';

/** The IO edge for external programs (a site's own battery script, `vcgencmd`). */
export interface CommandRunner {
  run(request: CommandRequest): Promise<Result<string, CommandErrorCode>>;
}

/** Runs a program without a shell (`execFile`), so arguments are never interpreted. */
export function createNodeCommandRunner(): CommandRunner {
  return {
    run({ file, args, timeoutMs, maxOutputBytes, signal }) {
      return new Promise((resolve) => {
        execFile(
          file,
          [...args],
          { timeout: timeoutMs, maxBuffer: maxOutputBytes, signal, killSignal: 'SIGKILL', encoding: 'utf8' },
          (error, stdout) => {
            if (error === null) return resolve(ok(stdout));
            const e = error as NodeJS.ErrnoException & { killed?: boolean; signal?: string | null };
            if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
              resolve(fail('command_bad_output', `${file} printed more than ${maxOutputBytes} bytes`));
            } else if (e.name === 'AbortError' || e.killed === true) {
              resolve(fail('command_timeout', `${file} did not finish in ${timeoutMs} ms`));
            } else {
              resolve(fail('command_failed', `${file}: ${firstLine(e.message)}`));
            }
          },
        );
      });
    },
  };
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
