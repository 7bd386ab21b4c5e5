import { appendFileSync, mkdtempSync, readdirSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeSpoolIo, openFileSpool, type SpoolIo } from '@pantau/agent';
import { describe, expect, it } from 'vitest';
import { captureLogger, silentLogger } from '../../../helpers/fakes.js';
import { appendAll } from './spool-contract.js';

const open = (dir: string, extra: { io?: SpoolIo; maxSamples?: number } = {}) =>
  openFileSpool({
    dir,
    maxSamples: extra.maxSamples ?? 1000,
    segmentSamples: 10,
    log: silentLogger(),
    io: extra.io ?? nodeSpoolIo,
  });
const freshDir = () => mkdtempSync(join(tmpdir(), 'pantau-spool-'));
const seqs = (list: readonly { seq: number }[]) => list.map((s) => s.seq);
const lastSegment = (dir: string) =>
  join(
    dir,
    readdirSync(dir)
      .filter((n) => n.startsWith('seg-'))
      .sort()
      .at(-1) ?? '',
  );

describe('file spool across restarts', () => {
  it('keeps samples, what was sent, the last sequence number and the drop count', async () => {
    const dir = freshDir();
    const first = open(dir, { maxSamples: 20 });
    await appendAll(
      first,
      Array.from({ length: 45 }, (_, i) => i),
    );
    first.markSent([44, 43]);
    const dropped = first.dropped;
    expect(dropped).toBeGreaterThan(0);
    first.close();
    const again = open(dir, { maxSamples: 20 });
    expect(again.lastSeq).toBe(44);
    expect(again.dropped).toBe(dropped);
    expect(seqs(again.unsent('newest', 2))).toEqual([42, 41]);
    expect(again.depth).toBe(first.depth);
    expect(again.recovery.discardedBytes).toBe(0);
  });

  it('after a torn last record, keeps every complete record and cuts the tail', async () => {
    const dir = freshDir();
    const spool = open(dir);
    await appendAll(spool, [0, 1, 2, 3, 4]);
    spool.close();
    const path = lastSegment(dir);
    truncateSync(path, statSync(path).size - 7); // a power cut in the middle of the last write
    const { log, lines } = captureLogger('warn');
    const again = openFileSpool({ dir, maxSamples: 1000, segmentSamples: 10, log, io: nodeSpoolIo });
    expect(seqs(again.unsent('oldest', 10))).toEqual([0, 1, 2, 3]);
    expect(again.recovery.discardedBytes).toBeGreaterThan(0);
    expect(lines.some((l) => l.event === 'spool_tail_discarded')).toBe(true);
    // Appending continues cleanly after the cut.
    await appendAll(again, [5]);
    again.close();
    expect(seqs(open(dir).unsent('oldest', 10))).toEqual([0, 1, 2, 3, 5]);
  });

  it('after garbage appended, keeps every complete record and cuts the garbage', async () => {
    const dir = freshDir();
    const spool = open(dir);
    await appendAll(spool, [0, 1, 2]);
    spool.close();
    const garbage = Buffer.from('\u0000\u0001garbage, not a record; 0123456789'.repeat(20));
    appendFileSync(lastSegment(dir), garbage);
    const again = open(dir);
    expect(seqs(again.unsent('oldest', 10))).toEqual([0, 1, 2]);
    expect(again.recovery.discardedBytes).toBe(garbage.byteLength);
    await appendAll(again, [3]);
    again.close();
    expect(seqs(open(dir).unsent('oldest', 10))).toEqual([0, 1, 2, 3]);
  });

  it('on a full disk: refuses the sample, counts it, reports disk_full, and recovers', async () => {
    const dir = freshDir();
    let full = false;
    const io: SpoolIo = {
      append(fd, data) {
        if (!full) return nodeSpoolIo.append(fd, data);
        // A partial write, then ENOSPC, as a real full disk does.
        nodeSpoolIo.append(fd, data.subarray(0, 5));
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      },
      sync: nodeSpoolIo.sync,
    };
    const spool = open(dir, { io });
    await appendAll(spool, [0, 1]);
    full = true;
    const refused = await spool.append({ seq: 2, bootId: 'b', wallMs: 0, clockSynced: false, uptimeMs: 0 });
    expect(refused).toMatchObject({ ok: false, code: 'disk_full' });
    expect(spool).toMatchObject({ fault: 'disk_full', dropped: 1, depth: 2, lastSeq: 2 });
    full = false;
    await appendAll(spool, [3]);
    expect(spool.fault).toBeNull();
    spool.close();
    const again = open(dir);
    expect(seqs(again.unsent('oldest', 10))).toEqual([0, 1, 3]);
    expect(again.dropped).toBe(1);
    expect(again.recovery.discardedBytes).toBe(0);
    expect(again.range(0, 3, 10).gone).toEqual([{ fromSeq: 2, toSeq: 2 }]);
  });

  it('syncs off the event loop, and a failed sync drops the sample and cuts its record', async () => {
    const dir = freshDir();
    let failSync = false;
    let syncing = 0;
    const io: SpoolIo = {
      append: nodeSpoolIo.append,
      async sync(fd) {
        syncing += 1;
        // The disk answers later, as an SD card does: the caller's loop keeps turning meanwhile.
        await new Promise((resolve) => setImmediate(resolve));
        if (failSync) throw Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
        return nodeSpoolIo.sync(fd);
      },
    };
    const spool = open(dir, { io });
    await appendAll(spool, [0]);
    failSync = true;
    const pending = spool.append({ seq: 1, bootId: 'b', wallMs: 0, clockSynced: false, uptimeMs: 0 });
    // Not counted before it is durable.
    expect(spool.depth).toBe(1);
    expect(await pending).toMatchObject({ ok: false, code: 'io_error' });
    expect(spool).toMatchObject({ fault: 'io_error', dropped: 1, depth: 1, lastSeq: 1 });
    failSync = false;
    await appendAll(spool, [2]);
    expect(syncing).toBe(3);
    spool.close();
    const again = open(dir);
    expect(seqs(again.unsent('oldest', 10))).toEqual([0, 2]);
    expect(again.recovery.discardedBytes).toBe(0);
  });
});
