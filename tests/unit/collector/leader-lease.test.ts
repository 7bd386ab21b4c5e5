import { createLeaderLease, type LockSession } from '@pantau/collector';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../helpers/fakes.js';

/** A lock shared by fake sessions, as the database's advisory lock is shared by sessions. */
function fakeDatabase() {
  let holder: FakeSession | null = null;
  let epoch = 0;
  class FakeSession implements LockSession {
    dead = false;
    closed = false;
    async tryAcquire() {
      if (this.dead) throw new Error('connection terminated');
      if (holder !== null && holder !== this) return null;
      holder = this;
      epoch += 1;
      return epoch;
    }
    async heartbeat() {
      if (this.dead) throw new Error('connection terminated');
    }
    async close() {
      this.closed = true;
      this.release();
    }
    /** The server ends the session (idle past the lease, or the connection dropped). */
    kill() {
      this.dead = true;
      this.release();
    }
    private release() {
      if (holder === this) holder = null;
    }
  }
  return { FakeSession, holder: () => holder };
}

function contender(db: ReturnType<typeof fakeDatabase>, clock: { ms: number }) {
  const sessions: InstanceType<typeof db.FakeSession>[] = [];
  const changes: (number | null)[] = [];
  let cancelled = false;
  const lease = createLeaderLease(
    { pollMs: 1000, leaseMs: 5000 },
    {
      open: async () => {
        const s = new db.FakeSession();
        sessions.push(s);
        return s;
      },
      every: () => () => {
        cancelled = true;
      },
      monotonicMs: () => clock.ms,
      log: silentLogger(),
    },
  );
  lease.onChange((e) => changes.push(e));
  return { lease, sessions, changes, cancelled: () => cancelled };
}

describe('leader lease', () => {
  it('lets exactly one contender lead, and the other take over with a newer epoch when the session ends', async () => {
    const db = fakeDatabase();
    const clock = { ms: 0 };
    const a = contender(db, clock);
    const b = contender(db, clock);
    await a.lease.tick();
    await b.lease.tick();
    expect(a.lease.epoch()).toBe(1);
    expect(b.lease.epoch()).toBeNull();
    a.sessions[0]?.kill();
    await b.lease.tick();
    expect(b.lease.epoch()).toBe(2);
    // The old leader learns at its next heartbeat, and follows on a fresh session.
    await a.lease.tick();
    expect(a.lease.epoch()).toBeNull();
    expect(a.changes).toEqual([1, null]);
    await a.lease.tick();
    expect(a.sessions).toHaveLength(2);
    expect(a.lease.epoch()).toBeNull();
  });

  it('steps down on its own after a pause longer than the lease, before any heartbeat', async () => {
    const db = fakeDatabase();
    const clock = { ms: 0 };
    const a = contender(db, clock);
    await a.lease.tick();
    expect(a.lease.epoch()).toBe(1);
    clock.ms += 4000;
    await a.lease.tick();
    expect(a.lease.epoch()).toBe(1);
    // A SIGSTOP: no tick ran for longer than the lease; the session still looks alive to us.
    clock.ms += 5001;
    await a.lease.tick();
    expect(a.lease.epoch()).toBeNull();
    expect(a.sessions[0]?.closed).toBe(true);
  });

  it('keeps trying while the database is away, and leads once it is back', async () => {
    const db = fakeDatabase();
    const clock = { ms: 0 };
    let down = true;
    const lease = createLeaderLease(
      { pollMs: 1000, leaseMs: 5000 },
      {
        open: async () => {
          if (down) throw new Error('ECONNREFUSED');
          return new db.FakeSession();
        },
        every: () => () => {},
        monotonicMs: () => clock.ms,
        log: silentLogger(),
      },
    );
    await lease.tick();
    await lease.tick();
    expect(lease.epoch()).toBeNull();
    down = false;
    await lease.tick();
    expect(lease.epoch()).toBe(1);
  });

  it('stop hands the lock over and stops the timer', async () => {
    const db = fakeDatabase();
    const clock = { ms: 0 };
    const a = contender(db, clock);
    const b = contender(db, clock);
    a.lease.start();
    await a.lease.tick();
    expect(a.lease.epoch()).toBe(1);
    await a.lease.stop();
    await a.lease.stop();
    expect(a.cancelled()).toBe(true);
    expect(a.lease.epoch()).toBeNull();
    await b.lease.tick();
    expect(b.lease.epoch()).toBe(2);
  });

  it('refuses a lease shorter than two polls', () => {
    const db = fakeDatabase();
    expect(() =>
      createLeaderLease(
        { pollMs: 3000, leaseMs: 5000 },
        { open: async () => new db.FakeSession(), every: () => () => {}, monotonicMs: () => 0, log: silentLogger() },
      ),
    ).toThrow(/at least twice/);
  });
});
