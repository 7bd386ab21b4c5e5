import { brotliCompressSync, constants } from 'node:zlib';
import { bitBytes, columnarPayload, text, varint } from '@pantau/bench/payload-parts';
import { describe, expect, it } from 'vitest';
import { decodeInChild } from '../../helpers/decode-child.js';

/**
 * Payloads of a few dozen bytes that declare millions of things: each is rejected for a counted
 * reason after bounded work, checked before anything is allocated for what it declares. They run
 * in a child process with a 256 MiB heap, so one that exhausts memory fails this test instead of
 * killing the test run.
 */
const head = (n: number, columns: number) => [1, ...text('x'), ...varint(n), ...varint(columns)];
const repeat = (times: number, bytes: readonly number[]) => Array.from({ length: times }, () => bytes).flat();
const brotli = (json: string) =>
  Buffer.concat([
    Buffer.from([2]),
    brotliCompressSync(Buffer.from(json), { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } }),
  ]);
const batchHead = '{"v":1,"siteId":"kutim-sangatta-01","agentVersion":"x","sentAtMs":1,';

const hostile = [
  {
    name: '100,000 samples and 10,000 constant columns',
    payload: columnarPayload([...head(100_000, 10_000), ...repeat(10_000, [6, 0, 0])], []),
    code: 'limit_exceeded',
  },
  {
    name: '100,000 samples and one column',
    payload: columnarPayload([...head(100_000, 1), 1, 0, 0], []),
    code: 'limit_exceeded',
  },
  {
    name: '1440 samples and 300 constant columns',
    payload: columnarPayload([...head(1440, 300), 3, 0, 3, 1, ...repeat(299, [6, 0, 0])], bitBytes('000000')),
    code: 'limit_exceeded',
  },
  {
    name: 'an array index of 9999 in every one of 1440 samples',
    payload: columnarPayload(
      [
        ...head(1440, 2),
        3,
        0,
        3,
        1,
        0,
        ...text(JSON.stringify(['probes', 'latency', 'targets', 9999, 'role'])),
        0,
        6,
        1,
        0x78,
      ],
      bitBytes('000000'),
    ),
    code: 'invalid_compression',
  },
  {
    name: 'Brotli of 4 million nested brackets',
    payload: brotli(`{"v":1,"samples":${'['.repeat(4e6)}${']'.repeat(4e6)}}`),
    code: 'limit_exceeded',
  },
  {
    name: 'Brotli of 4 million samples',
    payload: brotli(`${batchHead}"samples":[${'0,'.repeat(4e6)}0]}`),
    code: 'limit_exceeded',
  },
  {
    name: 'Brotli of 4 million latency targets',
    payload: brotli(
      `${batchHead}"samples":[{"seq":1,"bootId":"b","wallMs":1,"clockSynced":true,"uptimeMs":1,` +
        `"probes":{"latency":{"targets":[${'0,'.repeat(4e6)}0]}}}]}`,
    ),
    code: 'limit_exceeded',
  },
  {
    name: 'plain JSON nested 100,000 deep',
    payload: Buffer.from(`{"samples":${'['.repeat(1e5)}${']'.repeat(1e5)}}`),
    code: 'limit_exceeded',
  },
];

describe('hostile payloads that declare too much', () => {
  it.each(hostile.map((h) => [h.name, h.payload.byteLength]))('%s (%i bytes) is small', (_, bytes) => {
    expect(bytes).toBeLessThan(256 * 1024);
  });

  it('are each rejected for a counted reason, within a small heap, before they cost much', async () => {
    const { exitCode, verdicts, stderr } = await decodeInChild(
      hostile.map((h) => ({ kind: 'telemetry', hex: h.payload.toString('hex') })),
      256,
    );
    expect(stderr).toBe('');
    expect(exitCode).toBe(0);
    expect(verdicts.map((v) => v.code)).toEqual(hostile.map((h) => h.code));
    // A safety net, not a measurement (pnpm fuzz measures): the old decoder spent seconds on some.
    for (const [i, v] of verdicts.entries()) expect(v.cpuMs, hostile[i]?.name).toBeLessThan(2000);
  }, 60_000);
});
