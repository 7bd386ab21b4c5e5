import { fail, ok, type Result } from '@pantau/shared';

export interface ReloadDeps {
  readonly readText: (path: string) => Promise<string | null>;
  readonly signal: (pid: number, signal: 'SIGHUP') => void;
  readonly run: (
    file: string,
    args: readonly string[],
    timeoutMs: number,
  ) => Promise<{ code: number | null; stderr: string }>;
}

export interface ReloadTarget {
  readonly pidFile?: string | undefined;
  readonly command: readonly string[];
  readonly timeoutSec: number;
}

/**
 * Tells Mosquitto to read its password file and ACL again (SIGHUP, which keeps every connection:
 * a login removed stops working at its next connect). With `pidFile`, the signal goes to the
 * process named there; otherwise `command` runs (`systemctl reload mosquitto`: Debian's unit sends
 * SIGHUP).
 */
export async function reloadBroker(
  target: ReloadTarget,
  deps: ReloadDeps,
): Promise<Result<string, 'broker_reload_failed'>> {
  if (target.pidFile !== undefined) {
    const text = await deps.readText(target.pidFile);
    const pid = Number.parseInt(text ?? '', 10);
    if (!Number.isSafeInteger(pid) || pid <= 1) {
      return fail(
        'broker_reload_failed',
        `no broker process id in ${target.pidFile} (${text === null ? 'no such file' : 'not a number'})`,
      );
    }
    try {
      deps.signal(pid, 'SIGHUP');
    } catch (error) {
      return fail(
        'broker_reload_failed',
        `SIGHUP to process ${pid} (from ${target.pidFile}): ${(error as Error).message}`,
      );
    }
    return ok(`SIGHUP sent to the broker (process ${pid})`);
  }
  const [file, ...args] = target.command;
  if (file === undefined) return fail('broker_reload_failed', 'provision.reload.command is empty');
  const result = await deps.run(file, args, target.timeoutSec * 1000);
  const shown = target.command.join(' ');
  if (result.code !== 0) {
    const why = result.code === null ? `did not finish in ${target.timeoutSec} s` : `exited ${result.code}`;
    return fail(
      'broker_reload_failed',
      `\`${shown}\` ${why}${result.stderr.trim() === '' ? '' : `: ${result.stderr.trim()}`}`,
    );
  }
  return ok(`\`${shown}\` done`);
}
