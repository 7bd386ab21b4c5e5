import type { Logger } from '@pantau/shared';
import type { Every } from '../collector.js';
import type { LockSession, OpenLockSession } from './lock-session.js';

export interface LeaderLeaseOptions {
  /** How often a follower tries the lock and a leader proves its session alive. */
  readonly pollMs: number;
  /** The server ends a session silent this long; a leader that has not heartbeaten for it steps down. */
  readonly leaseMs: number;
}

export interface LeaderLeaseDeps {
  readonly open: OpenLockSession;
  readonly every: Every;
  readonly monotonicMs: () => number;
  readonly log: Logger;
}

export interface LeaderLease {
  /** Tries at once, then every `pollMs`. */
  start(): void;
  /** Stops trying and ends the session, which hands the lock to another collector. Safe twice. */
  stop(): Promise<void>;
  /** The epoch this process leads, or null while it follows. Writes carry it (`fencedTransaction`). */
  epoch(): number | null;
  /** Told each time leadership is gained (an epoch) or lost (null). */
  onChange(listener: (epoch: number | null) => void): void;
  /** One round: try the lock, or heartbeat while leading. Exposed for tests; the timer calls it. */
  tick(): Promise<void>;
}

/**
 * Exactly one leader among collectors: an advisory lock held on a dedicated session, and an epoch
 * that grows at every takeover. The lock gives one leader at a time as the database sees it; the
 * epoch fences the writes of a leader that still believes it leads (paused, or cut off) after the
 * database gave the lock to another.
 */
export function createLeaderLease(options: LeaderLeaseOptions, deps: LeaderLeaseDeps): LeaderLease {
  if (options.pollMs * 2 > options.leaseMs) {
    throw new Error(`leaseMs (${options.leaseMs}) must be at least twice pollMs (${options.pollMs})`);
  }
  let session: LockSession | null = null;
  let epoch: number | null = null;
  let lastAliveMs = 0;
  let round: Promise<void> | null = null;
  let stopped = false;
  let cancel: (() => void) | null = null;
  const listeners: ((epoch: number | null) => void)[] = [];

  function become(next: number | null): void {
    if (next === epoch) return;
    epoch = next;
    for (const listener of listeners) listener(next);
  }

  async function dropSession(): Promise<void> {
    const old = session;
    session = null;
    await old?.close();
  }

  async function stepDown(reason: string, error?: unknown): Promise<void> {
    deps.log.warn({ event: 'leadership_lost', epoch, reason, err: error }, 'no longer the health evaluator');
    become(null);
    await dropSession();
  }

  async function follow(): Promise<void> {
    session ??= await deps.open();
    const acquired = await session.tryAcquire();
    if (acquired === null) return;
    lastAliveMs = deps.monotonicMs();
    deps.log.info({ event: 'leadership_gained', epoch: acquired }, 'this collector is the health evaluator');
    become(acquired);
  }

  async function lead(): Promise<void> {
    // Paused (or starved) past the lease: the server has ended our session and another may lead.
    if (deps.monotonicMs() - lastAliveMs > options.leaseMs) return stepDown('lease_expired');
    try {
      await session?.heartbeat();
      lastAliveMs = deps.monotonicMs();
    } catch (error) {
      await stepDown('session_lost', error);
    }
  }

  async function once(): Promise<void> {
    try {
      if (epoch === null) await follow();
      else await lead();
    } catch (error) {
      // The database is away: follow again from a fresh session at the next round.
      deps.log.warn({ event: 'lease_try_failed', err: error }, 'could not reach the database for the evaluator lock');
      await dropSession();
    }
  }

  /** One round at a time: a call while one runs waits for that one. */
  function tick(): Promise<void> {
    if (stopped) return Promise.resolve();
    round ??= once().finally(() => {
      round = null;
    });
    return round;
  }

  return {
    start() {
      if (cancel !== null || stopped) return;
      cancel = deps.every(options.pollMs, () => void tick());
      void tick();
    },
    async stop() {
      stopped = true;
      cancel?.();
      cancel = null;
      await round;
      become(null);
      await dropSession();
    },
    epoch: () => epoch,
    onChange(listener) {
      listeners.push(listener);
    },
    tick,
  };
}
