import { crc32 } from 'node:zlib';

/**
 * One spool record on disk: `[u32 length][u32 crc32][u8 type][body]`, little-endian, where the CRC
 * covers the type byte and the body. A record whose length or CRC does not check out marks the end
 * of what was written completely (a torn tail after a power cut, or garbage).
 */
export const RECORD_HEADER_BYTES = 9;
/** A record is never larger than this; a bigger length is garbage, not a record. */
export const MAX_RECORD_BODY_BYTES = 1024 * 1024;

export const RecordType = { sample: 1, sent: 2 } as const;
export type RecordType = (typeof RecordType)[keyof typeof RecordType];

export function encodeRecord(type: RecordType, body: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(RECORD_HEADER_BYTES + body.byteLength);
  out.writeUInt32LE(body.byteLength, 0);
  out[8] = type;
  out.set(body, RECORD_HEADER_BYTES);
  out.writeUInt32LE(crc32(out.subarray(8)), 4);
  return out;
}

export interface ScannedRecord {
  readonly type: RecordType;
  readonly offset: number;
  readonly length: number;
  readonly body: Buffer;
}

export interface ScanResult {
  readonly records: readonly ScannedRecord[];
  /** Bytes up to the end of the last complete record; anything after is torn or garbage. */
  readonly validBytes: number;
}

/** Reads records from the start of a segment until the first one that does not check out. */
export function scanRecords(data: Buffer): ScanResult {
  const records: ScannedRecord[] = [];
  let offset = 0;
  while (offset + RECORD_HEADER_BYTES <= data.byteLength) {
    const record = decodeRecordAt(data, offset);
    if (record === null) break;
    records.push(record);
    offset += record.length;
  }
  return { records, validBytes: offset };
}

/** The record at `offset`, or null when it is torn, too long, of an unknown type or fails its CRC. */
export function decodeRecordAt(data: Buffer, offset: number): ScannedRecord | null {
  if (offset + RECORD_HEADER_BYTES > data.byteLength) return null;
  const bodyLength = data.readUInt32LE(offset);
  if (bodyLength > MAX_RECORD_BODY_BYTES) return null;
  const end = offset + RECORD_HEADER_BYTES + bodyLength;
  if (end > data.byteLength) return null;
  const type = data[offset + 8];
  if (type !== RecordType.sample && type !== RecordType.sent) return null;
  if (crc32(data.subarray(offset + 8, end)) !== data.readUInt32LE(offset + 4)) return null;
  return { type, offset, length: end - offset, body: data.subarray(offset + RECORD_HEADER_BYTES, end) };
}
