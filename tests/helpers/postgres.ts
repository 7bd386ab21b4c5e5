import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './ports.js';
import { waitFor } from './wait.js';

export interface Postgres {
  readonly port: number;
  /** A URL to the `postgres` database; `createDatabase` makes a fresh one per suite. */
  readonly url: string;
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

/** Debian's PostgreSQL 15 binaries (apt-get install postgresql); the system cluster is never used. */
export const PG_BIN = process.env.PANTAU_PG_BIN ?? '/usr/lib/postgresql/15/bin';

const run = promisify(execFile);

/**
 * Starts a throwaway PostgreSQL on 127.0.0.1 and a free port. initdb refuses to run as root, so
 * when the tests run as root the cluster is created and run as the `postgres` user (runuser).
 */
export async function startPostgres(): Promise<Postgres> {
  const dir = mkdtempSync(join(tmpdir(), 'pantau-pg-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const ids = await run('id', ['-u', 'postgres']);
    const gids = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(ids.stdout.trim()), Number(gids.stdout.trim()));
    chmodSync(dir, 0o700);
  }
  const as = (bin: string, args: string[]): [string, string[]] =>
    asRoot ? ['runuser', ['-u', 'postgres', '--', join(PG_BIN, bin), ...args]] : [join(PG_BIN, bin), args];
  const user = asRoot ? 'postgres' : (process.env.USER ?? 'postgres');
  await run(...as('initdb', ['-D', data, '-U', user, '-A', 'trust', '--no-sync', '-E', 'UTF8']));
  const port = await freePort();
  const [cmd, args] = as('postgres', [
    '-D',
    data,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    `unix_socket_directories=${dir}`,
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
  ]);
  const child: ChildProcess = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr = (stderr + String(chunk)).slice(-4000);
  });
  const url = `postgres://${user}@127.0.0.1:${port}/postgres`;
  try {
    await waitFor(
      `postgres on port ${port}`,
      async () => {
        if (child.exitCode !== null) throw new Error(`postgres did not start: ${stderr}`);
        const client = new pg.Client({ connectionString: url });
        try {
          await client.connect();
          await client.end();
          return true;
        } catch {
          return false;
        }
      },
      20_000,
      100,
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    port,
    url,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } finally {
        await client.end();
      }
      return `postgres://${user}@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      if (child.exitCode === null) {
        // runuser does not pass signals on to postgres, so ask pg_ctl; the cluster is thrown away,
        // so immediate mode is enough.
        const exited = once(child, 'exit');
        await run(...as('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w'])).catch(() => child.kill('SIGKILL'));
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs one query on a connection of its own (opened and closed around it): a test's look at the rows. */
export async function queryRows<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    return (await db.query<T>(sql)).rows;
  } finally {
    await db.end();
  }
}
