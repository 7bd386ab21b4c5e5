import { decodePayload, encodePayload } from '@pantau/shared';
import { describe, expect, it } from 'vitest';

const batch = {
  v: 1 as const,
  siteId: 's1',
  agentVersion: '0.1.0',
  sentAtMs: 1_795_392_000_000,
  samples: [{ seq: 1, bootId: 'b1', wallMs: 1_795_392_000_000, clockSynced: true, uptimeMs: 5 }],
};

describe('codec', () => {
  it('round-trips a batch', () => {
    const decoded = decodePayload('telemetry', encodePayload('telemetry', batch));
    expect(decoded.ok && decoded.value.samples[0]?.seq).toBe(1);
  });

  it('refuses to encode an invalid message (a bug on our side)', () => {
    expect(() => encodePayload('telemetry', { ...batch, siteId: 'Bad Site' })).toThrow();
  });

  it.each([
    ['too_large', Buffer.alloc(2000, 0x20), 1000],
    ['empty', Buffer.alloc(0), 1000],
    ['invalid_utf8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), 1000],
    ['invalid_json', Buffer.from('{"v":1,'), 1000],
    ['unsupported_version', Buffer.from(JSON.stringify({ ...batch, v: 2 })), 1000],
    ['invalid_schema', Buffer.from(JSON.stringify({ ...batch, samples: 'none' })), 1000],
    ['invalid_schema', Buffer.from('[1,2,3]'), 1000],
    ['invalid_schema', Buffer.from('null'), 1000],
  ])('rejects with %s', (code, payload, maxBytes) => {
    const decoded = decodePayload('telemetry', payload, maxBytes);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.code).toBe(code);
  });

  it('names the bad field in a schema reject', () => {
    const decoded = decodePayload(
      'telemetry',
      Buffer.from(JSON.stringify({ ...batch, samples: [{ ...batch.samples[0], seq: -4 }] })),
    );
    expect(!decoded.ok && decoded.message).toContain('samples.0.seq');
  });

  it('checks the size before decoding anything', () => {
    const decoded = decodePayload('telemetry', Buffer.from([0xff, 0xff, 0xff]), 2);
    expect(!decoded.ok && decoded.code).toBe('too_large');
  });
});

describe('compressed payloads', () => {
  it.each(['deflate', 'brotli'] as const)('round-trips %s behind a marker byte that cannot start JSON', (encoding) => {
    const samples = Array.from({ length: 50 }, (_, i) => ({
      seq: i,
      bootId: 'b1',
      wallMs: i,
      clockSynced: true,
      uptimeMs: i,
    }));
    const many = { ...batch, samples };
    const payload = encodePayload('telemetry', many, encoding);
    expect(payload[0]).toBe(encoding === 'deflate' ? 0x01 : 0x02);
    expect(payload.byteLength).toBeLessThan(encodePayload('telemetry', many).byteLength / 5);
    const decoded = decodePayload('telemetry', payload);
    expect(decoded.ok && decoded.value.samples.map((s) => s.seq)).toEqual(many.samples.map((s) => s.seq));
  });

  it('rejects a marker followed by bytes that do not decompress', () => {
    expect(decodePayload('telemetry', Buffer.from([0x01, 0xff, 0xff, 0xff]))).toMatchObject({
      ok: false,
      code: 'invalid_compression',
    });
  });

  it('bounds what a payload may expand to (a decompression bomb is too_large)', async () => {
    const { deflateRawSync } = await import('node:zlib');
    const bomb = Buffer.concat([Buffer.from([0x01]), deflateRawSync(Buffer.alloc(9 * 1024 * 1024, 0x20))]);
    expect(bomb.byteLength).toBeLessThan(20_000);
    expect(decodePayload('telemetry', bomb)).toMatchObject({ ok: false, code: 'too_large' });
  });
});

describe('columnar payloads (marker 0x04)', () => {
  const full = {
    seq: 7,
    bootId: 'b1',
    wallMs: 1_795_392_060_000,
    clockSynced: true,
    uptimeMs: 60_000,
    probes: {
      latency: {
        targets: [
          { role: 'gateway' as const, host: '192.168.1.1', sent: 3, received: 3, rttAvgMs: 0.52, error: null },
          { role: 'internet' as const, host: '1.1.1.1', sent: 3, received: 0, rttAvgMs: null, error: 'no_reply' },
        ],
        error: null,
      },
      power: { source: 'vedirect' as const, batteryVolts: 12.71, batteryAmps: -1.25, error: null },
    },
  };
  const sparse = {
    seq: 8,
    bootId: 'b1',
    wallMs: 1_795_392_120_000,
    clockSynced: false,
    uptimeMs: 120_000,
    probes: { latency: { targets: [], error: 'probe_timeout' } },
  };
  const plainOf = (message: typeof batch) => {
    const plain = decodePayload('telemetry', encodePayload('telemetry', message));
    if (!plain.ok) throw new Error(plain.message);
    return plain.value;
  };

  it('round-trips samples with absent sections, nulls, empty arrays and decimals exactly', () => {
    const message = { ...batch, samples: [full, sparse, { ...full, seq: 9 }] };
    const payload = encodePayload('telemetry', message, 'columnar');
    expect(payload[0]).toBe(0x04);
    expect(decodePayload('telemetry', payload, undefined, { siteId: 's1' })).toEqual({
      ok: true,
      value: plainOf(message),
    });
  });

  it('round-trips a lone sample and a sentAtMs before the first sample', () => {
    const message = { ...batch, sentAtMs: 5, samples: [full] };
    expect(
      decodePayload('telemetry', encodePayload('telemetry', message, 'columnar'), undefined, { siteId: 's1' }),
    ).toEqual({
      ok: true,
      value: plainOf(message),
    });
  });

  it('takes the site id from the topic, not the payload', () => {
    const payload = encodePayload('telemetry', { ...batch, samples: [full] }, 'columnar');
    expect(payload.includes(Buffer.from(batch.siteId))).toBe(false);
    const decoded = decodePayload('telemetry', payload, undefined, { siteId: 'other-site' });
    expect(decoded.ok && decoded.value.siteId).toBe('other-site');
    expect(decodePayload('telemetry', payload)).toMatchObject({ ok: false, code: 'invalid_schema' });
  });

  it('is smaller than Brotli of the JSON for a batch of samples', () => {
    const samples = Array.from({ length: 5 }, (_, i) => ({ ...full, seq: i, wallMs: full.wallMs + i * 60_013 }));
    const message = { ...batch, samples };
    expect(encodePayload('telemetry', message, 'columnar').byteLength).toBeLessThan(
      encodePayload('telemetry', message, 'brotli').byteLength / 2,
    );
  });

  it('rejects the retired JSON columnar marker 0x03', () => {
    const decoded = decodePayload('telemetry', Buffer.from([0x03, 0x01, 0x02]));
    expect(decoded.ok).toBe(false);
  });

  it('rejects a structure that is not DEFLATE, and one that ends early, as invalid_compression', () => {
    expect(decodePayload('telemetry', Buffer.from([0x04, 0x05, 0xff, 0xff, 0xff, 0xff, 0xff]))).toMatchObject({
      ok: false,
      code: 'invalid_compression',
    });
    expect(decodePayload('telemetry', Buffer.from([0x04, 0x7f, 0x00]))).toMatchObject({
      ok: false,
      code: 'invalid_compression',
    });
  });
});
