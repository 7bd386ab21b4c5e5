import { execFile } from 'node:child_process';
import type { NotifySend } from './sd-notify.js';

/** Past systemd-notify's own 5 s wait for the manager (its barrier): a hung call is ended. */
const NOTIFY_TIMEOUT_MS = 10_000;

/**
 * Sends through systemd's own `systemd-notify`, which writes the datagram to `NOTIFY_SOCKET`.
 *
 * Node has no AF_UNIX datagram sockets (`dgram` is UDP only), and the libraries that add them
 * (unix-dgram, sd-notify) are node-gyp addons without prebuilt binaries for the Pi's architectures.
 * `systemd-notify` ships with systemd on every site, and since systemd 246 it waits until the
 * manager has read the message (sd_notify_barrier), so the message is attributed to this unit even
 * though its sender is a child process: the unit says `NotifyAccess=all`.
 */
export function systemdNotifySend(program = 'systemd-notify'): NotifySend {
  return (target, assignments) =>
    new Promise((resolve) => {
      execFile(
        program,
        [...assignments],
        {
          env: { ...process.env, NOTIFY_SOCKET: target.socketPath },
          timeout: NOTIFY_TIMEOUT_MS,
          killSignal: 'SIGKILL',
          encoding: 'utf8',
        },
        (error, _stdout, stderr) => {
          if (error === null) return resolve({ ok: true });
          const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? `${program} is not installed` : stderr;
          resolve({
            ok: false,
            message: `${program} ${assignments.join(' ')} failed: ${reason.trim() || error.message}`,
          });
        },
      );
    });
}
