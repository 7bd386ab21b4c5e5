import { closeSync, fsyncSync, ftruncateSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@pantau/shared';
import { RecordType, scanRecords } from './record.js';

/** One segment file of the spool log, open for reading (and appending, the newest). */
export interface Segment {
  readonly index: number;
  readonly path: string;
  readonly fd: number;
  size: number;
  samples: number;
  /** A failed write could not be undone: never append here again. */
  poisoned: boolean;
}

/** Where one sample's record lies, and whether the broker has acknowledged it. */
export interface Entry {
  readonly seq: number;
  readonly segment: Segment;
  readonly offset: number;
  readonly length: number;
  sent: boolean;
}

export const SEGMENT_PATTERN = /^seg-(\d{12})\.log$/;
export const segmentName = (index: number) => `seg-${String(index).padStart(12, '0')}.log`;

/** Creates the next segment file and makes its directory entry durable. */
export function createSegment(dir: string, index: number): Segment {
  const path = join(dir, segmentName(index));
  const segment: Segment = { index, path, fd: openSync(path, 'a+'), size: 0, samples: 0, poisoned: false };
  syncDir(dir);
  return segment;
}

export interface Recovered {
  readonly segments: Segment[];
  /** In file order, not yet sorted. */
  readonly entries: Entry[];
  /** Sequence numbers some `sent` record names. */
  readonly sentSeqs: number[];
  readonly discardedBytes: number;
}

/**
 * Reads every segment: each complete record counts; the first that does not check out ends its
 * segment. The newest segment is cut there (a torn tail after a power cut, or garbage) and appended
 * to again; an older one with a bad tail is never appended to.
 */
export function recoverSegments(dir: string, log: Logger): Recovered {
  const segments: Segment[] = [];
  const entries: Entry[] = [];
  const sentSeqs: number[] = [];
  let discardedBytes = 0;
  const names = readdirSync(dir)
    .filter((n) => SEGMENT_PATTERN.test(n))
    .sort();
  for (const [i, name] of names.entries()) {
    const path = join(dir, name);
    const data = readFileSync(path);
    const scan = scanRecords(data);
    const isLast = i === names.length - 1;
    const opened = isLast ? openForAppend(path) : { fd: openSync(path, 'r'), writable: false };
    const segment: Segment = {
      index: Number(SEGMENT_PATTERN.exec(name)?.[1]),
      path,
      fd: opened.fd,
      size: scan.validBytes,
      samples: 0,
      // Never appended to: an older segment, or the newest on a disk that refuses writes.
      poisoned: isLast && !opened.writable,
    };
    if (scan.validBytes < data.byteLength) {
      discardedBytes += data.byteLength - scan.validBytes;
      log.warn(
        { event: 'spool_tail_discarded', segment: name, bytes: data.byteLength - scan.validBytes },
        'cut off an incomplete or corrupt tail (a power cut during a write, or garbage)',
      );
      if (isLast && opened.writable) cutTail(segment, scan.validBytes);
      else segment.poisoned = true;
    }
    for (const record of scan.records) {
      if (record.type === RecordType.sample) {
        const seq = record.body.readDoubleLE(0);
        entries.push({ seq, segment, offset: record.offset, length: record.length, sent: false });
        segment.samples += 1;
      } else {
        for (const [from, to] of parseSentBody(record.body)) for (let s = from; s <= to; s++) sentSeqs.push(s);
      }
    }
    segments.push(segment);
  }
  return { segments, entries, sentSeqs, discardedBytes };
}

/**
 * The newest segment, open to append; read-only where the disk refuses writes (a card turned
 * read-only), so what is on it can still be delivered.
 */
function openForAppend(path: string): { fd: number; writable: boolean } {
  try {
    return { fd: openSync(path, 'a+'), writable: true };
  } catch (error) {
    if (!isUnwritable(error)) throw error;
    return { fd: openSync(path, 'r'), writable: false };
  }
}

/** Cuts a torn tail; where the disk refuses, the segment is only never appended to again. */
function cutTail(segment: Segment, size: number): void {
  try {
    ftruncateSync(segment.fd, size);
    fsyncSync(segment.fd);
  } catch (error) {
    if (!isUnwritable(error)) throw error;
    segment.poisoned = true;
  }
}

function isUnwritable(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'EROFS' || code === 'EACCES' || code === 'EPERM' || code === 'ENOSPC';
}

function parseSentBody(body: Buffer): [number, number][] {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    if (!Array.isArray(value)) return [];
    return value.filter(
      (r): r is [number, number] =>
        Array.isArray(r) && r.length === 2 && Number.isSafeInteger(r[0]) && Number.isSafeInteger(r[1]) && r[1] >= r[0],
    );
  } catch {
    return [];
  }
}

function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
