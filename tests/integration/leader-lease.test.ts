import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fencedTransaction, openPgLockSession } from '@pantau/collector';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Postgres, startPostgres } from '../helpers/postgres.js';
import { waitFor } from '../helpers/wait.js';

const CONTENDER = fileURLToPath(new URL('../helpers/lease-contender.mjs', import.meta.url));
const LEASE_MS = 3000;
const POLL_MS = 500;
/** The documented bound on a takeover is LEASE_MS + POLL_MS; the rest is room for a loaded 2-core machine. */
const TAKEOVER_BOUND_MS = LEASE_MS + POLL_MS + 10_000;

interface Line {
  readonly event: 'started' | 'epoch' | 'write' | 'forced';
  readonly epoch: number | null;
  readonly ok?: boolean;
  readonly currentEpoch?: number | null;
}

interface Contender {
  readonly child: ChildProcess;
  readonly lines: Line[];
  epoch(): number | null;
}

function contender(url: string, holder: string): Contender {
  const child = spawn(process.execPath, [CONTENDER, url, holder, String(LEASE_MS), String(POLL_MS)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines: Line[] = [];
  let buffered = '';
  child.stdout?.on('data', (chunk) => {
    buffered += String(chunk);
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    for (const part of parts) if (part.trim() !== '') lines.push(JSON.parse(part) as Line);
  });
  return {
    child,
    lines,
    epoch: () => lines.filter((l) => l.event === 'epoch').at(-1)?.epoch ?? null,
  };
}

describe('the evaluator lease on a real PostgreSQL', () => {
  let postgres: Postgres;
  let url: string;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    postgres = await startPostgres();
    url = await postgres.createDatabase('lease');
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    await db.query('CREATE TABLE lease_writes (id bigserial PRIMARY KEY, holder text NOT NULL, epoch bigint NOT NULL)');
    await db.end();
  });
  afterEach(() => {
    for (const child of children.splice(0)) {
      child.kill('SIGCONT');
      child.kill('SIGKILL');
    }
  });
  afterAll(async () => {
    await postgres?.stop();
  });

  async function rows(): Promise<{ id: number; holder: string; epoch: number }[]> {
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      const r = await db.query<{ id: string; holder: string; epoch: string }>('SELECT * FROM lease_writes ORDER BY id');
      return r.rows.map((row) => ({ id: Number(row.id), holder: row.holder, epoch: Number(row.epoch) }));
    } finally {
      await db.end();
    }
  }

  it('a writer whose session the server ends mid-transaction gets an error, and nothing is written', async () => {
    // The window a SIGSTOPped leader can fall into: between two queries of its fenced transaction.
    const fenceUrl = await postgres.createDatabase('fence');
    const lock = await openPgLockSession({
      connectionString: fenceUrl,
      holder: 'col-f',
      leaseMs: 5000,
      nowMs: Date.now,
    });
    const pool = new pg.Pool({ connectionString: fenceUrl, max: 1 });
    pool.on('error', () => {});
    try {
      const epoch = await lock.tryAcquire();
      expect(epoch).toBe(1);
      await pool.query('CREATE TABLE fence_writes (id bigserial PRIMARY KEY)');
      const idleLimitMs = 300;
      const attempt = fencedTransaction(pool, epoch ?? 0, idleLimitMs, async (db) => {
        await db.query('INSERT INTO fence_writes DEFAULT VALUES');
        // Idle in the transaction past its limit: the server ends the session under us.
        await new Promise((resolve) => setTimeout(resolve, idleLimitMs * 5));
      });
      await expect(attempt).rejects.toThrow();
      const written = await pool.query<{ n: string }>('SELECT count(*)::text AS n FROM fence_writes');
      expect(written.rows[0]?.n).toBe('0');
    } finally {
      await lock.close();
      await pool.end();
    }
  });

  it('a paused leader loses the lease within its bound, and its write with the old epoch is refused', async () => {
    const a = contender(url, 'col-a');
    children.push(a.child);
    const first = await waitFor('a to lead', () => a.epoch());
    const b = contender(url, 'col-b');
    children.push(b.child);
    await waitFor('b to start and follow', () => b.lines.some((l) => l.event === 'started'));
    await waitFor('a to write as leader', () => a.lines.some((l) => l.event === 'write' && l.ok === true));
    expect(b.epoch()).toBeNull();

    const pausedAt = Date.now();
    a.child.kill('SIGSTOP');
    const second = await waitFor('b to take over', () => b.epoch(), TAKEOVER_BOUND_MS + 5000);
    const takeoverMs = Date.now() - pausedAt;
    expect(second).toBeGreaterThan(first);
    expect(takeoverMs).toBeLessThan(TAKEOVER_BOUND_MS);
    await waitFor('b to write as leader', () => b.lines.some((l) => l.event === 'write' && l.ok === true));

    a.child.kill('SIGCONT');
    a.child.stdin?.write('write\n');
    const forced = await waitFor('the old leader to try its write', () => a.lines.find((l) => l.event === 'forced'));
    expect(forced).toMatchObject({ epoch: first, ok: false, currentEpoch: second });
    await waitFor('a to know it follows', () => a.lines.at(-1) !== undefined && a.epoch() === null);

    // No row of the old epoch was written after the new epoch's first one.
    const written = await rows();
    const lastOld = Math.max(...written.filter((r) => r.epoch === first).map((r) => r.id));
    const firstNew = Math.min(...written.filter((r) => r.epoch === second).map((r) => r.id));
    expect(lastOld).toBeLessThan(firstNew);
    expect(new Set(written.filter((r) => r.epoch === second).map((r) => r.holder))).toEqual(new Set(['col-b']));

    // A killed leader's connection closes at once: the follower takes over within a poll or so.
    const killedAt = Date.now();
    b.child.kill('SIGKILL');
    const third = await waitFor('a to take over again', () => (a.epoch() ?? 0) > second && a.epoch());
    expect(third).toBe(second + 1);
    const afterKillMs = Date.now() - killedAt;
    expect(afterKillMs).toBeLessThan(POLL_MS + 10_000);
    // The figures docs/scaling.md quotes.
    console.info(
      JSON.stringify({
        leaseMs: LEASE_MS,
        pollMs: POLL_MS,
        takeoverAfterPauseMs: takeoverMs,
        takeoverAfterKillMs: afterKillMs,
      }),
    );
  });
});
