import type { Logger } from '@pantau/shared';
import type { Clock } from '../clock.js';
import type { CycleSchedule } from '../schedule/cycles.js';

/**
 * Where systemd listens for this service's notifications (`NOTIFY_SOCKET`, sd_notify(3)) and how
 * often it wants to hear the watchdog (`WATCHDOG_USEC`), from the environment systemd starts it with.
 */
export interface NotifyTarget {
  readonly socketPath: string;
  /** Null when the unit has no `WatchdogSec=`, or the watchdog is meant for another process. */
  readonly watchdogMs: number | null;
}

/**
 * The service manager's variables, as sd_notify(3) and sd_watchdog_enabled(3) read them: no
 * `NOTIFY_SOCKET`, no notifications; `WATCHDOG_PID`, when set, names the one process the watchdog is for.
 */
export function notifyTargetFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  pid: number,
): NotifyTarget | null {
  const socketPath = env.NOTIFY_SOCKET;
  if (socketPath === undefined || !(socketPath.startsWith('/') || socketPath.startsWith('@'))) return null;
  const usec = Number(env.WATCHDOG_USEC);
  const forUs = env.WATCHDOG_PID === undefined || Number(env.WATCHDOG_PID) === pid;
  const watchdogMs = Number.isSafeInteger(usec) && usec > 0 && forUs ? Math.ceil(usec / 1000) : null;
  return { socketPath, watchdogMs };
}

/**
 * Sends one notification: `NAME=value` assignments, sent as one datagram of newline-separated lines
 * to the target's socket. Expected failures are values: the agent runs on without its manager.
 */
export type NotifySend = (
  target: NotifyTarget,
  assignments: readonly string[],
) => Promise<{ readonly ok: true } | { readonly ok: false; readonly message: string }>;

/** What the agent tells systemd (`Type=notify`, `WatchdogSec=`). */
export interface ServiceNotifier {
  /** READY=1 once the agent runs; extends the watchdog's timeout first when it is shorter than a cycle needs. */
  ready(status: string): Promise<void>;
  /** WATCHDOG=1, at most every quarter of the watchdog's timeout: a finished sample cycle. */
  alive(): Promise<void>;
  /** STOPPING=1 as a clean stop begins. */
  stopping(): Promise<void>;
}

export interface ServiceNotifierDeps {
  readonly target: NotifyTarget | null;
  readonly send: NotifySend;
  readonly clock: Clock;
  readonly log: Logger;
  /** The longest a healthy agent may go between two finished cycles: the watchdog is never shorter. */
  readonly minWatchdogMs: number;
}

/**
 * The agent's side of sd_notify(3). Without `NOTIFY_SOCKET` (not started by systemd, or a unit of
 * another type) every call does nothing.
 */
export function createServiceNotifier(deps: ServiceNotifierDeps): ServiceNotifier {
  const { target, clock, log } = deps;
  let watchdogMs = target?.watchdogMs ?? null;
  let lastFedMonoMs = Number.NEGATIVE_INFINITY;

  async function send(event: string, assignments: readonly string[]): Promise<boolean> {
    if (target === null) return false;
    const sent = await deps.send(target, assignments);
    if (!sent.ok) {
      log.warn(
        { event: 'notify_failed', code: 'notify_failed', notification: event, err: sent.message },
        'cannot notify systemd: check NOTIFY_SOCKET and that systemd-notify is installed',
      );
    }
    return sent.ok;
  }

  return {
    async ready(status) {
      const assignments = ['READY=1', `STATUS=${status}`];
      // WATCHDOG_USEC= resets the unit's timeout at run time (sd_notify(3)): an interval longer than
      // the unit assumed must not read as a hang.
      if (watchdogMs !== null && watchdogMs < deps.minWatchdogMs) {
        log.info(
          { event: 'watchdog_extended', fromMs: watchdogMs, toMs: deps.minWatchdogMs },
          'the watchdog timeout is shorter than a sample cycle needs: extended',
        );
        watchdogMs = deps.minWatchdogMs;
        assignments.unshift(`WATCHDOG_USEC=${deps.minWatchdogMs * 1000}`);
      }
      await send('ready', assignments);
    },
    async alive() {
      if (watchdogMs === null) return;
      const nowMs = clock.monotonicMs();
      // One notification a quarter of the timeout is enough, and at a 1 s interval a process a cycle is not.
      if (nowMs - lastFedMonoMs < watchdogMs / 4) return;
      lastFedMonoMs = nowMs;
      await send('watchdog', ['WATCHDOG=1']);
    },
    async stopping() {
      await send('stopping', ['STOPPING=1']);
    },
  };
}

/** The sample cycle's schedule, feeding the watchdog after each cycle that finished: a stuck cycle stops feeding it. */
export function feedingWatchdog(cycles: CycleSchedule, notifier: Pick<ServiceNotifier, 'alive'>): CycleSchedule {
  return {
    start(run) {
      return cycles.start(async (tick) => {
        await run(tick);
        // Not awaited: the notification's process is not part of the cycle, and never rejects.
        void notifier.alive();
      });
    },
  };
}
