/**
 * Byte and bit streams for the binary columnar encoding (docs/columnar.md). Integers are JS numbers
 * up to 2^53: bit operators work on 32 bits only, so wide values are split arithmetically. A reader
 * that runs past its end, or meets a count past the protocol's limits, throws MalformedInput, which
 * the decoder turns into a stable error code.
 */
import { MAX_COLUMNAR_STRING_BYTES } from './limits.js';

/** Why a columnar payload does not decode: its bytes are malformed, or a count is past a limit. */
export type MalformedCode = 'invalid_compression' | 'invalid_utf8' | 'limit_exceeded' | 'too_large';

export class MalformedInput extends Error {
  constructor(
    message: string,
    readonly code: MalformedCode = 'invalid_compression',
  ) {
    super(message);
  }
}

/** A declared count past one of the protocol's limits (limits.ts). */
export function overLimit(what: string, value: number, limit: number): MalformedInput {
  return new MalformedInput(`${what}: ${value}, over the limit of ${limit}`, 'limit_exceeded');
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The widest unsigned value either stream carries: 2^53 - 1, a safe integer. */
const MAX_BITS = 53;
const TWO_32 = 2 ** 32;
/** Bits written in one step: the pending bits (fewer than 8) and a chunk stay inside 31 bits. */
const CHUNK_BITS = 24;
const TWO_CHUNK = 2 ** CHUNK_BITS;

/** Signed to unsigned, small magnitudes to small numbers: 0, -1, 1, -2 -> 0, 1, 2, 3. */
export function zigzag(value: number): number {
  return value >= 0 ? value * 2 : -value * 2 - 1;
}

export function unzigzag(value: number): number {
  return value % 2 === 0 ? value / 2 : -(value + 1) / 2;
}

/** How many bits an unsigned value needs (0 for 0). */
export function bitLength(value: number): number {
  // clz32 counts in one step what a halving loop takes up to 53 steps for (the encoder asks this
  // for every coding it weighs). Above 32 bits, the high part is exact: a division by 2^32.
  if (value < 1) return 0;
  if (value < TWO_32) return 32 - Math.clz32(value);
  return 32 + bitLength(Math.floor(value / TWO_32));
}

export class ByteWriter {
  private readonly bytes: number[] = [];
  byte(value: number): void {
    this.bytes.push(value & 0xff);
  }
  /** LEB128: seven bits a byte, low first. */
  varint(value: number): void {
    let v = value;
    while (v >= 0x80) {
      this.bytes.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.bytes.push(v);
  }
  string(value: string): void {
    const utf8 = Buffer.from(value, 'utf8');
    this.varint(utf8.byteLength);
    for (const b of utf8) this.bytes.push(b);
  }
  float64(value: number): void {
    const b = Buffer.alloc(8);
    b.writeDoubleLE(value);
    for (const x of b) this.bytes.push(x);
  }
  toBuffer(): Buffer {
    return Buffer.from(this.bytes);
  }
}

export class ByteReader {
  private at = 0;
  private readonly bytes: Buffer;
  constructor(bytes: Uint8Array) {
    this.bytes = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  get done(): boolean {
    return this.at >= this.bytes.byteLength;
  }
  /** Bytes read so far. */
  get position(): number {
    return this.at;
  }
  byte(): number {
    const b = this.bytes[this.at++];
    if (b === undefined) throw new MalformedInput('ends early');
    return b;
  }
  /** LEB128 of at most 8 bytes and a value below 2^53. */
  varint(): number {
    let value = 0;
    for (let shift = 1; ; shift *= 0x80) {
      const b = this.byte();
      value += (b & 0x7f) * shift;
      if (b < 0x80) break;
      if (shift > 2 ** 45) throw new MalformedInput('varint too long');
    }
    if (!Number.isSafeInteger(value)) throw new MalformedInput('varint too large');
    return value;
  }
  /** A varint that must not exceed `limit` (checked before anything is made of it). */
  count(what: string, limit: number): number {
    const value = this.varint();
    if (value > limit) throw overLimit(what, value, limit);
    return value;
  }
  string(): string {
    const length = this.count('bytes in a string', MAX_COLUMNAR_STRING_BYTES);
    if (this.at + length > this.bytes.byteLength) throw new MalformedInput('string ends early');
    const start = this.at;
    const end = start + length;
    this.at = end;
    // ASCII (what the schemas' strings mostly are) needs no UTF-8 decoder, nor a view of the bytes.
    let ascii = true;
    for (let i = start; ascii && i < end; i++) ascii = (this.bytes[i] as number) < 0x80;
    if (ascii) return this.bytes.toString('latin1', start, end);
    try {
      return utf8.decode(this.bytes.subarray(start, end));
    } catch {
      throw new MalformedInput('a string is not UTF-8', 'invalid_utf8');
    }
  }
  float64(): number {
    if (this.at + 8 > this.bytes.byteLength) throw new MalformedInput('number ends early');
    const value = this.bytes.readDoubleLE(this.at);
    this.at += 8;
    return value;
  }
  /** The bytes not read yet. */
  rest(): Uint8Array {
    return this.bytes.subarray(this.at);
  }
}

/** Bits, most significant first, packed into bytes; the last byte is padded with zeros. */
export class BitWriter {
  private readonly bytes: number[] = [];
  private current = 0;
  private used = 0;
  /** Writes `value` (unsigned, below 2^bits) in exactly `bits` bits. */
  bits(value: number, bits: number): void {
    // A value wider than a chunk (up to 53 bits, beyond what bit operators hold) goes high part
    // first, split arithmetically; each chunk is then shifted in whole instead of bit by bit.
    if (bits > CHUNK_BITS) {
      const high = Math.floor(value / TWO_CHUNK);
      this.bits(high, bits - CHUNK_BITS);
      this.chunk(value - high * TWO_CHUNK, CHUNK_BITS);
    } else this.chunk(value, bits);
  }
  /** `value` below 2^bits, bits <= CHUNK_BITS: with the pending bits it fits in 31 bits. */
  private chunk(value: number, bits: number): void {
    let current = (this.current << bits) | value;
    let used = this.used + bits;
    while (used >= 8) {
      used -= 8;
      this.bytes.push((current >>> used) & 0xff);
    }
    current &= (1 << used) - 1;
    this.current = current;
    this.used = used;
  }
  /** An unsigned value of any size: its bit length in 6 bits, then its bits. */
  long(value: number): void {
    const length = bitLength(value);
    this.bits(length, 6);
    this.bits(value, length);
  }
  toBuffer(): Buffer {
    const tail = this.used === 0 ? [] : [this.current << (8 - this.used)];
    return Buffer.from([...this.bytes, ...tail]);
  }
}

export class BitReader {
  private at = 0;
  private readonly end: number;
  constructor(private readonly bytes: Uint8Array) {
    this.end = bytes.byteLength * 8;
  }
  bits(bits: number): number {
    if (bits > MAX_BITS) throw new MalformedInput(`a ${bits}-bit field is wider than ${MAX_BITS}`);
    // Wider than a chunk: high part first, split arithmetically (bit operators hold 32 bits).
    if (bits > CHUNK_BITS) {
      const high = this.bits(bits - CHUNK_BITS);
      return high * TWO_CHUNK + this.bits(CHUNK_BITS);
    }
    const end = this.at + bits;
    if (end > this.end) throw new MalformedInput('bits end early');
    // A byte's worth at a time rather than bit by bit: the collector reads every value of every
    // batch through here (bench/src/ingest-stages.ts). At most 24 bits, so `value` stays in 31.
    let value = 0;
    let at = this.at;
    while (at < end) {
      const offset = at & 7;
      const take = Math.min(8 - offset, end - at);
      const byte = this.bytes[at >> 3] as number;
      value = (value << take) | ((byte >> (8 - offset - take)) & ((1 << take) - 1));
      at += take;
    }
    this.at = at;
    return value;
  }
  long(): number {
    return this.bits(this.bits(6));
  }
  /** Whole bytes after the one being read (0 when all that is left is the last byte's padding). */
  get unreadBytes(): number {
    return this.bytes.byteLength - Math.ceil(this.at / 8);
  }
  /** Whether the bits left in the last byte read, the padding, are all zero. */
  get paddingIsZero(): boolean {
    const used = this.at & 7;
    if (used === 0) return true;
    return ((this.bytes[this.at >> 3] as number) & (0xff >> used)) === 0;
  }
}
