import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type { TestPki } from './test-pki.js';

const run = promisify(execFile);

export interface Server {
  readonly url: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Polls `check` every 100 ms until it holds; throws after `timeoutMs`. */
export async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const canConnect = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

/**
 * Mosquitto with queues large enough that a slow subscriber's session never drops a message, on
 * 127.0.0.1 and on any `extraAddresses` (a site namespace's host end) on the same port; with `tls`,
 * a second listener (`tlsPort`) serves TLS 1.2+ with that CA's certificate, as the shipped config does.
 */
export async function startMosquitto(
  options: { tls?: TestPki; extraAddresses?: readonly string[] } = {},
): Promise<Server & { port: number; tlsPort: number | null; pid: number }> {
  const extraAddresses = options.extraAddresses ?? [];
  const dir = mkdtempSync(join(tmpdir(), 'pantau-bench-mosq-'));
  const port = await freePort();
  const tlsPort = options.tls === undefined ? null : await freePort();
  const tlsListener =
    options.tls === undefined
      ? []
      : [
          `listener ${tlsPort} 127.0.0.1`,
          `cafile ${options.tls.caFile}`,
          `certfile ${options.tls.certFile}`,
          `keyfile ${options.tls.keyFile}`,
          'tls_version tlsv1.2',
        ];
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      ...extraAddresses.map((address) => `listener ${port} ${address}`),
      'allow_anonymous true',
      'persistence false',
      'max_queued_messages 0',
      'max_queued_bytes 0',
      'max_inflight_messages 1000',
      'log_dest none',
      ...tlsListener,
      '',
    ].join('\n'),
  );
  const child = spawn(process.env.MOSQUITTO_BIN ?? '/usr/sbin/mosquitto', ['-c', conf], { stdio: 'ignore' });
  await until('mosquitto', () => canConnect(port));
  if (tlsPort !== null) await until('mosquitto over TLS', () => canConnect(tlsPort));
  return {
    port,
    tlsPort,
    pid: child.pid ?? 0,
    url: `mqtt://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A throwaway PostgreSQL 15 (run as `postgres` when we are root: initdb refuses root). */
export async function startPostgres(): Promise<Server> {
  const bin = process.env.PANTAU_PG_BIN ?? '/usr/lib/postgresql/15/bin';
  const dir = mkdtempSync(join(tmpdir(), 'pantau-bench-pg-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    chownSync(
      dir,
      Number((await run('id', ['-u', 'postgres'])).stdout),
      Number((await run('id', ['-g', 'postgres'])).stdout),
    );
    chmodSync(dir, 0o700);
  }
  const as = (b: string, args: string[]): [string, string[]] =>
    asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, b), ...args]] : [join(bin, b), args];
  const user = asRoot ? 'postgres' : (process.env.USER ?? 'postgres');
  await run(...as('initdb', ['-D', data, '-U', user, '-A', 'trust', '--no-sync']));
  const port = await freePort();
  // Durable commits (synchronous_commit on), as production would run; no fsync of the temp dir's
  // disk is skipped except by the OS cache.
  const [cmd, args] = as('postgres', [
    '-D',
    data,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    `unix_socket_directories=${dir}`,
  ]);
  const child: ChildProcess = spawn(cmd, args, { stdio: 'ignore' });
  await until('postgres', () => canConnect(port));
  await new Promise((r) => setTimeout(r, 500));
  return {
    url: `postgres://${user}@127.0.0.1:${port}/postgres`,
    async stop() {
      if (child.exitCode === null) {
        const exited = once(child, 'exit');
        await run(...as('pg_ctl', ['stop', '-D', data, '-m', 'fast', '-w'])).catch(() => child.kill('SIGKILL'));
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Creates database `name` on the server at `url` (a URL to any of its databases); its URL. */
export async function createPgDatabase(url: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const target = new URL(url);
  target.pathname = `/${name}`;
  return target.toString();
}
