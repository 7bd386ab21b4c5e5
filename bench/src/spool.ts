/**
 * `pnpm bench:spool`: what a day of 1-minute samples costs the SD card. Bytes written are the
 * kernel's own count for this process (/proc/self/io `write_bytes`: bytes sent to the block layer,
 * page by page), for the spool as built (append-only log, one fdatasync per sample, a `sent` record
 * per 5-minute delivery) and for the alternative considered, SQLite in WAL mode with
 * `synchronous=FULL` (durable per sample, the same guarantee). The file system journal (jbd2) is
 * written by the kernel, not this process, and is not in either figure.
 * The last line printed is one JSON object with every figure.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { nodeSpoolIo, openFileSpool } from '@pantau/agent';
import { createLogger } from '@pantau/shared';
import { seeded } from './seeded.js';
import { syntheticSample } from './synthetic-samples.js';

const SAMPLES_PER_DAY = 1440;
const DELIVER_EVERY = 5;
const MB = 1_000_000;

function writeBytes(): number {
  const line = readFileSync('/proc/self/io', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('write_bytes:'));
  return Number(line?.split(':')[1]?.trim() ?? Number.NaN);
}

function dirBytes(dir: string): number {
  return readdirSync(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
}

interface Figures {
  readonly writeBytesPerDay: number;
  readonly diskBytesPerDay: number;
  readonly msPerAppend: number;
}

async function benchLog(): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'pantau-bench-spool-'));
  const spool = openFileSpool({
    dir,
    maxSamples: 43_200,
    segmentSamples: 1440,
    log: createLogger('bench', 'silent'),
    io: nodeSpoolIo,
  });
  const random = seeded(7);
  const samples = Array.from({ length: SAMPLES_PER_DAY }, (_, i) => syntheticSample(i, 1_795_392_000_000, random));
  const before = writeBytes();
  const started = performance.now();
  for (const [i, sample] of samples.entries()) {
    const result = await spool.append(sample);
    if (!result.ok) throw new Error(result.message);
    if ((i + 1) % DELIVER_EVERY === 0) spool.markSent(spool.unsent('oldest', DELIVER_EVERY).map((s) => s.seq));
  }
  const elapsed = performance.now() - started;
  spool.close();
  const figures = {
    writeBytesPerDay: writeBytes() - before,
    diskBytesPerDay: dirBytes(dir),
    msPerAppend: elapsed / SAMPLES_PER_DAY,
  };
  rmSync(dir, { recursive: true, force: true });
  return figures;
}

function benchSqlite(): Figures | null {
  let Database: new (
    path: string,
  ) => {
    pragma(s: string): unknown;
    exec(s: string): void;
    prepare(s: string): { run(...args: unknown[]): unknown };
    close(): void;
  };
  try {
    // better-sqlite3 is the collector's dependency; borrowed here only to measure the alternative.
    const require = createRequire(new URL('../../collector/package.json', import.meta.url));
    Database = require('better-sqlite3');
  } catch {
    return null;
  }
  const dir = mkdtempSync(join(tmpdir(), 'pantau-bench-sqlite-'));
  const db = new Database(join(dir, 'spool.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE samples (seq INTEGER PRIMARY KEY, sent INTEGER NOT NULL DEFAULT 0, body BLOB NOT NULL)');
  const insert = db.prepare('INSERT INTO samples (seq, body) VALUES (?, ?)');
  const markSent = db.prepare('UPDATE samples SET sent = 1 WHERE seq BETWEEN ? AND ?');
  const random = seeded(7);
  const samples = Array.from({ length: SAMPLES_PER_DAY }, (_, i) => syntheticSample(i, 1_795_392_000_000, random));
  const before = writeBytes();
  const started = performance.now();
  for (const [i, sample] of samples.entries()) {
    insert.run(i, deflateRawSync(Buffer.from(JSON.stringify(sample))));
    if ((i + 1) % DELIVER_EVERY === 0) markSent.run(i + 1 - DELIVER_EVERY, i);
  }
  const elapsed = performance.now() - started;
  db.close();
  const figures = {
    writeBytesPerDay: writeBytes() - before,
    diskBytesPerDay: dirBytes(dir),
    msPerAppend: elapsed / SAMPLES_PER_DAY,
  };
  rmSync(dir, { recursive: true, force: true });
  return figures;
}

async function main(): Promise<void> {
  const log = await benchLog();
  const sqlite = benchSqlite();
  const mb = (n: number) => (n / MB).toFixed(2);
  const lines = [
    'Pantau spool: a day of 1-minute samples (every probe), fdatasync per sample, a delivery every 5 min',
    `append-only log (built):  ${mb(log.writeBytesPerDay)} MB written/day (write_bytes), ` +
      `${mb(log.diskBytesPerDay)} MB on disk/day, ${log.msPerAppend.toFixed(2)} ms per durable append`,
    sqlite === null
      ? 'SQLite WAL: better-sqlite3 not available, not measured'
      : `SQLite WAL, sync FULL:    ${mb(sqlite.writeBytesPerDay)} MB written/day (write_bytes), ` +
        `${mb(sqlite.diskBytesPerDay)} MB on disk/day, ${sqlite.msPerAppend.toFixed(2)} ms per durable append`,
    `target <= 10 MB written a day: ${log.writeBytesPerDay <= 10 * MB ? 'MET' : 'NOT MET'} by the log`,
  ];
  for (const line of lines) process.stdout.write(`${line}\n`);
  process.stdout.write(
    `${JSON.stringify({
      bench: 'spool',
      logWriteMbPerDay: Number(mb(log.writeBytesPerDay)),
      logDiskMbPerDay: Number(mb(log.diskBytesPerDay)),
      logMsPerAppend: Number(log.msPerAppend.toFixed(3)),
      sqliteWriteMbPerDay: sqlite === null ? null : Number(mb(sqlite.writeBytesPerDay)),
      sqliteDiskMbPerDay: sqlite === null ? null : Number(mb(sqlite.diskBytesPerDay)),
      sqliteMsPerAppend: sqlite === null ? null : Number(sqlite.msPerAppend.toFixed(3)),
      targetWriteMbPerDay: 10,
      met: log.writeBytesPerDay <= 10 * MB,
    })}\n`,
  );
}

await main();
