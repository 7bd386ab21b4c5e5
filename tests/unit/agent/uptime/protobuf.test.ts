import { describe, expect, it } from 'vitest';
import {
  messageField,
  readFields,
  varintField,
  writeMessageField,
  writeVarint,
  writeVarintField,
} from '../../../../agent/src/probes/terminal/protobuf.js';

describe('protobuf reader and writer', () => {
  it('writes varints as the protobuf encoding guide shows them', () => {
    expect([...writeVarint(1)]).toEqual([0x01]);
    expect([...writeVarint(150)]).toEqual([0x96, 0x01]);
    expect([...writeVarint(2n ** 64n - 1n)]).toEqual([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
  });

  it('reads back what it wrote, fields in wire order, 64-bit values exact', () => {
    const inner = writeVarintField(1, 2n ** 63n + 5n);
    const buf = Buffer.concat([
      writeVarintField(3, 150),
      writeMessageField(536_870_911, inner),
      writeVarintField(3, 7),
    ]);
    const fields = readFields(buf);
    expect(fields.ok).toBe(true);
    if (!fields.ok) return;
    expect(fields.value.map((f) => f.field)).toEqual([3, 536_870_911, 3]);
    // The last occurrence of a scalar wins.
    expect(varintField(fields.value, 3)).toEqual({ ok: true, value: 7n });
    const embedded = messageField(fields.value, 536_870_911);
    expect(embedded.ok && embedded.value !== null && readFields(embedded.value)).toEqual({
      ok: true,
      value: [{ field: 1, wireType: 0, varint: 2n ** 63n + 5n }],
    });
    expect(messageField(fields.value, 9)).toEqual({ ok: true, value: null });
  });

  it('skips fixed 32- and 64-bit fields it does not need', () => {
    const buf = Buffer.from([0x0d, 1, 2, 3, 4, 0x11, 1, 2, 3, 4, 5, 6, 7, 8, 0x18, 0x05]);
    const fields = readFields(buf);
    expect(fields.ok && varintField(fields.value, 3)).toEqual({ ok: true, value: 5n });
  });

  it('merges repeated occurrences of a message field, as protobuf does', () => {
    const buf = Buffer.concat([
      writeMessageField(2, writeVarintField(1, 10)),
      writeMessageField(2, writeVarintField(4, 1)),
    ]);
    const fields = readFields(buf);
    const merged = fields.ok ? messageField(fields.value, 2) : null;
    const inner = merged?.ok && merged.value !== null ? readFields(merged.value) : null;
    expect(inner?.ok && inner.value.map((f) => f.field)).toEqual([1, 4]);
  });

  it.each([
    ['a varint cut short', [0x08, 0x96]],
    ['a key cut short', [0x80]],
    ['a varint of 11 bytes', [0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]],
    ['a length beyond the end', [0x12, 0x05, 0x01]],
    ['a huge length', [0x12, 0xff, 0xff, 0xff, 0xff, 0x0f]],
    ['a fixed64 cut short', [0x09, 1, 2, 3]],
    ['a fixed32 cut short', [0x0d, 1]],
    ['field number 0', [0x00, 0x01]],
    ['a start-group (wire type 3)', [0x0b]],
    ['an end-group (wire type 4)', [0x0c]],
    ['wire type 6', [0x0e]],
    ['wire type 7', [0x0f]],
  ])('fails with proto_malformed, never throws, on %s', (_name, bytes) => {
    const result = readFields(Buffer.from(bytes));
    expect(result).toMatchObject({ ok: false, code: 'proto_malformed' });
  });

  it('says so when a field has the wrong wire type for what is asked', () => {
    const fields = readFields(Buffer.concat([writeVarintField(2, 1), writeMessageField(1, Buffer.from([1]))]));
    expect(fields.ok && messageField(fields.value, 2)).toMatchObject({ ok: false, code: 'proto_malformed' });
    expect(fields.ok && varintField(fields.value, 1)).toMatchObject({ ok: false, code: 'proto_malformed' });
  });

  it('never throws on random bytes', () => {
    // A fixed linear congruential sequence: the same bytes each run.
    let seed = 12345;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed;
    };
    for (let i = 0; i < 2000; i++) {
      const bytes = Buffer.from(Array.from({ length: next() % 40 }, () => next() % 256));
      const result = readFields(bytes);
      expect(typeof result.ok).toBe('boolean');
      if (result.ok) for (const f of result.value) expect(f.field).toBeGreaterThan(0);
    }
  });
});
