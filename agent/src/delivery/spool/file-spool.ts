import {
  closeSync,
  ftruncateSync,
  mkdirSync,
  readFileSync,
  readSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { fail, type Logger, ok, type Result, type SampleInput, sampleSchema } from '@pantau/shared';
import { decodeRecordAt, encodeRecord, RecordType } from './record.js';
import { createSegment, type Entry, recoverSegments, type Segment } from './segments.js';
import { goneRanges, type Spool, type SpoolFault, toRanges } from './spool.js';
import { isDiskFull, type SpoolIo } from './spool-io.js';

export interface FileSpoolOptions {
  readonly dir: string;
  /** Samples kept at least (sent and unsent); default 30 days of 1-minute samples. */
  readonly maxSamples: number;
  /** Samples per segment file; when full, the oldest segment file is deleted whole. */
  readonly segmentSamples: number;
  readonly log: Logger;
  /** The disk writes (nodeSpoolIo; a test's disk that fills up). */
  readonly io: SpoolIo;
}

/** What opening the spool found on disk. */
export interface SpoolRecovery {
  readonly segments: number;
  readonly samples: number;
  /** Bytes after the last complete record of a segment (torn by a power cut, or garbage), cut off. */
  readonly discardedBytes: number;
}

export interface FileSpool extends Spool {
  readonly recovery: SpoolRecovery;
}

/**
 * The spool on disk: an append-only log in segment files. Each sample is one record (its seq, then
 * its JSON deflated), written and fdatasync'ed (off the event loop) before `append` resolves.
 * Acknowledgements are small `sent` records in the same log, not synced on their own: a lost one
 * only means a sample is sent again, which the collector counts as a duplicate. Opening the spool
 * scans every segment, keeps each complete record and cuts off a torn or garbage tail.
 */
export function openFileSpool(options: FileSpoolOptions): FileSpool {
  const { io } = options;
  const log = options.log;
  mkdirSync(options.dir, { recursive: true });
  const droppedPath = join(options.dir, 'dropped');
  let dropped = readDropped(droppedPath);
  let droppedDirty = false;
  let fault: SpoolFault | null = null;
  const segments: Segment[] = [];
  let entries: Entry[] = [];
  let depth = 0;
  let lastSeq = -1;
  let discardedBytes = 0;

  // Recovery: every complete record counts; the first bad one ends its segment.
  const recovered = recoverSegments(options.dir, log);
  segments.push(...recovered.segments);
  entries = recovered.entries;
  const sentSeqs = recovered.sentSeqs;
  discardedBytes = recovered.discardedBytes;
  entries.sort((a, b) => a.seq - b.seq);
  for (const e of entries) lastSeq = Math.max(lastSeq, e.seq);
  markSentInMemory(sentSeqs);
  depth = entries.filter((e) => !e.sent).length;
  const recovery: SpoolRecovery = { segments: segments.length, samples: entries.length, discardedBytes };

  function markSentInMemory(seqs: readonly number[]): number[] {
    const newly: number[] = [];
    for (const seq of seqs) {
      const entry = find(seq);
      if (entry !== undefined && !entry.sent) {
        entry.sent = true;
        newly.push(seq);
      }
    }
    return newly;
  }

  function find(seq: number): Entry | undefined {
    let lo = 0;
    let hi = entries.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const e = entries[mid] as Entry;
      if (e.seq === seq) return e;
      if (e.seq < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  function active(): Segment {
    const last = segments[segments.length - 1];
    if (last !== undefined && !last.poisoned && last.samples < options.segmentSamples) return last;
    const segment = createSegment(options.dir, (last?.index ?? 0) + 1);
    segments.push(segment);
    return segment;
  }

  /** Writes a record at the end of the segment, returning its offset; a failed write is undone. */
  function write(segment: Segment, record: Buffer): number {
    const offset = segment.size;
    try {
      io.append(segment.fd, record);
    } catch (error) {
      cutBack(segment, offset);
      throw error;
    }
    segment.size += record.byteLength;
    return offset;
  }

  function cutBack(segment: Segment, size: number): void {
    try {
      ftruncateSync(segment.fd, size);
      segment.size = size;
    } catch {
      // The partial record stays; later records must not follow it, so the next write rolls over.
      segment.poisoned = true;
    }
  }

  function trim(): void {
    let total = entries.length;
    for (;;) {
      const oldest = segments[0];
      if (oldest === undefined || segments.length < 2 || total - oldest.samples < options.maxSamples) return;
      const gone = entries.filter((e) => e.segment === oldest);
      const unsent = gone.filter((e) => !e.sent).length;
      entries = entries.filter((e) => e.segment !== oldest);
      total -= gone.length;
      depth -= unsent;
      addDropped(unsent);
      segments.shift();
      closeSync(oldest.fd);
      unlinkSync(oldest.path);
      if (unsent > 0) {
        log.warn(
          { event: 'spool_full_dropped', dropped: unsent, total: dropped },
          'spool full: dropped the oldest unsent samples',
        );
      }
    }
  }

  function addDropped(n: number): void {
    if (n === 0) return;
    dropped += n;
    droppedDirty = true;
    persistDropped();
  }

  function persistDropped(): void {
    if (!droppedDirty) return;
    try {
      writeFileSync(`${droppedPath}.tmp`, `${dropped}\n`);
      renameSync(`${droppedPath}.tmp`, droppedPath);
      droppedDirty = false;
    } catch {
      // The disk may be full; the count is retried after the next successful append.
    }
  }

  function readSample(entry: Entry): SampleInput | null {
    const buffer = Buffer.allocUnsafe(entry.length);
    readSync(entry.segment.fd, buffer, 0, entry.length, entry.offset);
    const record = decodeRecordAt(buffer, 0);
    if (record === null) return null;
    try {
      const parsed = sampleSchema.safeParse(JSON.parse(inflateRawSync(record.body.subarray(8)).toString('utf8')));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  function readAll(list: readonly Entry[]): SampleInput[] {
    const out: SampleInput[] = [];
    for (const entry of list) {
      const sample = readSample(entry);
      if (sample !== null) {
        out.push(sample);
        continue;
      }
      log.error({ event: 'spool_record_unreadable', seq: entry.seq }, 'a spool record no longer reads back');
      // It can never be sent: count it as dropped once, so delivery does not retry it forever.
      if (!entry.sent) {
        entry.sent = true;
        depth -= 1;
        addDropped(1);
      }
    }
    return out;
  }

  async function appendNow(sample: SampleInput): Promise<Result<void, SpoolFault>> {
    const seqBytes = Buffer.allocUnsafe(8);
    seqBytes.writeDoubleLE(sample.seq, 0);
    const body = Buffer.concat([seqBytes, deflateRawSync(Buffer.from(JSON.stringify(sample), 'utf8'))]);
    const record = encodeRecord(RecordType.sample, body);
    let segment: Segment;
    try {
      segment = active();
      const offset = write(segment, record);
      try {
        await io.sync(segment.fd);
      } catch (error) {
        // Cuts this record, and any `sent` record written meanwhile (a lost one only means a
        // duplicate later).
        cutBack(segment, offset);
        throw error;
      }
      entries.push({ seq: sample.seq, segment, offset, length: record.byteLength, sent: false });
    } catch (error) {
      const code: SpoolFault = isDiskFull(error) ? 'disk_full' : 'io_error';
      if (fault !== code) {
        log.error(
          { event: 'spool_write_failed', code, seq: sample.seq, err: (error as Error).message },
          'cannot write the spool: samples are dropped and counted until it can',
        );
      }
      fault = code;
      dropped += 1;
      droppedDirty = true;
      lastSeq = Math.max(lastSeq, sample.seq);
      return fail(code, `sample ${sample.seq} not stored: ${(error as Error).message}`);
    }
    if (fault !== null) log.info({ event: 'spool_recovered', was: fault }, 'the spool can be written again');
    fault = null;
    segment.samples += 1;
    depth += 1;
    lastSeq = Math.max(lastSeq, sample.seq);
    persistDropped();
    trim();
    return ok(undefined);
  }

  /** Appends run one after another: a record is on disk before the next one is written. */
  let appending: Promise<void> = Promise.resolve();

  return {
    recovery,
    append(sample) {
      const result = appending.then(() => appendNow(sample));
      appending = result.then(() => undefined);
      return result;
    },
    unsent(order, max) {
      const picked: Entry[] = [];
      const n = entries.length;
      for (let i = 0; i < n && picked.length < max; i++) {
        const e = entries[order === 'oldest' ? i : n - 1 - i] as Entry;
        if (!e.sent) picked.push(e);
      }
      return readAll(picked);
    },
    markSent(seqs) {
      const newly = markSentInMemory(seqs);
      if (newly.length === 0) return;
      depth -= newly.length;
      const ranges = toRanges([...newly].sort((a, b) => a - b)).map((r) => [r.fromSeq, r.toSeq]);
      try {
        write(active(), encodeRecord(RecordType.sent, Buffer.from(JSON.stringify(ranges), 'utf8')));
      } catch (error) {
        // Not fatal: after a restart these samples are sent again and counted as duplicates.
        log.warn({ event: 'spool_ack_not_written', err: (error as Error).message }, 'could not record a delivery');
      }
    },
    range(fromSeq, toSeq, max) {
      const held = entries.filter((e) => e.seq >= fromSeq && e.seq <= toSeq).slice(0, max);
      const samples = readAll(held);
      const seqs = samples.map((s) => s.seq);
      const horizon = held.length === max ? (held[held.length - 1]?.seq ?? toSeq) : toSeq;
      return { samples, gone: goneRanges(fromSeq, horizon, seqs, lastSeq) };
    },
    get lastSeq() {
      return lastSeq;
    },
    get depth() {
      return depth;
    },
    get dropped() {
      return dropped;
    },
    get fault() {
      return fault;
    },
    close() {
      persistDropped();
      for (const segment of segments.splice(0)) closeSync(segment.fd);
    },
  };
}

function readDropped(path: string): number {
  try {
    const value = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isSafeInteger(value) && value >= 0 ? value : 0;
  } catch {
    return 0;
  }
}
