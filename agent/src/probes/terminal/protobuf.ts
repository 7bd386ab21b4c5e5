import { fail, ok, type Result } from '@pantau/shared';

/**
 * The little of the protobuf wire format the agent needs to ask a Starlink dish its status and
 * history (https://protobuf.dev/programming-guides/encoding/): varints, floats, strings, embedded
 * and repeated messages, packed repeated floats, and skipping everything else. Bytes from the network may be anything: the reader returns a failure
 * value for malformed input and never throws.
 */
export type WireType = 0 | 1 | 2 | 5;

export type ProtoField =
  | { readonly field: number; readonly wireType: 0; readonly varint: bigint }
  | { readonly field: number; readonly wireType: 1 | 5 | 2; readonly bytes: Uint8Array };

export type ProtoErrorCode = 'proto_malformed';

/** A varint is at most 10 bytes (64 bits, 7 per byte). */
const MAX_VARINT_BYTES = 10;
/** Field numbers are 29 bits (1 to 2^29 - 1). */
const MAX_FIELD = 2 ** 29 - 1;

function readVarint(buf: Uint8Array, at: number): Result<{ value: bigint; next: number }, ProtoErrorCode> {
  let value = 0n;
  for (let i = 0; i < MAX_VARINT_BYTES; i++) {
    const byte = buf[at + i];
    if (byte === undefined) return fail('proto_malformed', `varint cut short at byte ${at + i}`);
    value |= BigInt(byte & 0x7f) << BigInt(7 * i);
    if ((byte & 0x80) === 0) return ok({ value: BigInt.asUintN(64, value), next: at + i + 1 });
  }
  return fail('proto_malformed', `varint longer than ${MAX_VARINT_BYTES} bytes at byte ${at}`);
}

/** Every field of one message, in wire order. Groups (wire types 3, 4) are long deprecated: malformed. */
export function readFields(buf: Uint8Array): Result<ProtoField[], ProtoErrorCode> {
  const fields: ProtoField[] = [];
  let at = 0;
  while (at < buf.length) {
    const key = readVarint(buf, at);
    if (!key.ok) return key;
    at = key.value.next;
    const field = Number(key.value.value >> 3n);
    const wireType = Number(key.value.value & 7n);
    if (field < 1 || field > MAX_FIELD) return fail('proto_malformed', `field number ${field} out of range`);
    if (wireType === 0) {
      const v = readVarint(buf, at);
      if (!v.ok) return v;
      fields.push({ field, wireType, varint: v.value.value });
      at = v.value.next;
      continue;
    }
    let size: number;
    if (wireType === 1) size = 8;
    else if (wireType === 5) size = 4;
    else if (wireType === 2) {
      const len = readVarint(buf, at);
      if (!len.ok) return len;
      at = len.value.next;
      if (len.value.value > BigInt(buf.length - at)) {
        return fail('proto_malformed', `field ${field} claims ${len.value.value} bytes, ${buf.length - at} left`);
      }
      size = Number(len.value.value);
    } else return fail('proto_malformed', `field ${field} has unsupported wire type ${wireType}`);
    if (at + size > buf.length) return fail('proto_malformed', `field ${field} cut short`);
    fields.push({ field, wireType, bytes: buf.subarray(at, at + size) });
    at += size;
  }
  return ok(fields);
}

/**
 * An embedded message field: protobuf merges repeated occurrences of a message field, which is the
 * same as parsing their concatenation. Null when the field is absent.
 */
export function messageField(fields: readonly ProtoField[], field: number): Result<Uint8Array | null, ProtoErrorCode> {
  const parts: Uint8Array[] = [];
  for (const f of fields) {
    if (f.field !== field) continue;
    if (f.wireType !== 2) return fail('proto_malformed', `field ${field} is not a message (wire type ${f.wireType})`);
    parts.push(f.bytes);
  }
  return ok(parts.length === 0 ? null : Buffer.concat(parts));
}

/** A varint field (the last occurrence wins, as protobuf says). Null when absent. */
export function varintField(fields: readonly ProtoField[], field: number): Result<bigint | null, ProtoErrorCode> {
  let value: bigint | null = null;
  for (const f of fields) {
    if (f.field !== field) continue;
    if (f.wireType !== 0) return fail('proto_malformed', `field ${field} is not a varint (wire type ${f.wireType})`);
    value = f.varint;
  }
  return ok(value);
}

/** All occurrences of a message field, each on its own (a repeated message: the dish's outages). */
export function repeatedMessages(fields: readonly ProtoField[], field: number): Result<Uint8Array[], ProtoErrorCode> {
  const parts: Uint8Array[] = [];
  for (const f of fields) {
    if (f.field !== field) continue;
    if (f.wireType !== 2) return fail('proto_malformed', `field ${field} is not a message (wire type ${f.wireType})`);
    parts.push(f.bytes);
  }
  return ok(parts);
}

/** A `float` field (wire type 5, little-endian IEEE 754; the last occurrence wins). Null when absent. */
export function floatField(fields: readonly ProtoField[], field: number): Result<number | null, ProtoErrorCode> {
  let value: number | null = null;
  for (const f of fields) {
    if (f.field !== field) continue;
    if (f.wireType !== 5) return fail('proto_malformed', `field ${field} is not a float (wire type ${f.wireType})`);
    value = Buffer.from(f.bytes.buffer, f.bytes.byteOffset, 4).readFloatLE(0);
  }
  return ok(value);
}

/** A `string` field, decoded as UTF-8 (the last occurrence wins). Null when absent. */
export function stringField(fields: readonly ProtoField[], field: number): Result<string | null, ProtoErrorCode> {
  let value: string | null = null;
  for (const f of fields) {
    if (f.field !== field) continue;
    if (f.wireType !== 2) return fail('proto_malformed', `field ${field} is not a string (wire type ${f.wireType})`);
    value = Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.length).toString('utf8');
  }
  return ok(value);
}

/**
 * A `repeated float` field: packed (one length-delimited run of 4-byte floats, proto3's default)
 * or one wire-type-5 field per value; a parser must accept both. Empty when absent.
 */
export function repeatedFloats(fields: readonly ProtoField[], field: number): Result<Float32Array, ProtoErrorCode> {
  const runs: Uint8Array[] = [];
  for (const f of fields) {
    if (f.field !== field) continue;
    if (f.wireType === 1 || f.wireType === 0) {
      return fail('proto_malformed', `field ${field} is not a float (wire type ${f.wireType})`);
    }
    if (f.bytes.length % 4 !== 0) return fail('proto_malformed', `packed floats of field ${field} cut short`);
    runs.push(f.bytes);
  }
  // Copied once into an aligned array: a field's bytes may start at any offset of the answer.
  const joined = Buffer.concat(runs);
  const values = new Float32Array(joined.length / 4);
  for (let i = 0; i < values.length; i++) values[i] = joined.readFloatLE(i * 4);
  return ok(values);
}

export function writeVarint(value: bigint | number): Buffer {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Buffer.from(out);
}

/** One length-delimited field (an embedded message, bytes or a string). */
export function writeMessageField(field: number, body: Uint8Array): Buffer {
  return Buffer.concat([writeVarint((BigInt(field) << 3n) | 2n), writeVarint(body.length), body]);
}

export function writeVarintField(field: number, value: bigint | number): Buffer {
  return Buffer.concat([writeVarint(BigInt(field) << 3n), writeVarint(value)]);
}

export function writeFloatField(field: number, value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeFloatLE(value);
  return Buffer.concat([writeVarint((BigInt(field) << 3n) | 5n), bytes]);
}

/** A packed `repeated float`. */
export function writePackedFloats(field: number, values: readonly number[]): Buffer {
  const bytes = Buffer.alloc(values.length * 4);
  for (const [i, v] of values.entries()) bytes.writeFloatLE(v, i * 4);
  return writeMessageField(field, bytes);
}
