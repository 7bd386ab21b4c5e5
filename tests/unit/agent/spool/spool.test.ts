import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemorySpool, nodeSpoolIo, openFileSpool } from '@pantau/agent';
import { describe, expect, it } from 'vitest';
import { goneRanges, toRanges } from '../../../../agent/src/delivery/spool/spool.js';
import { silentLogger } from '../../../helpers/fakes.js';
import { spoolContract } from './spool-contract.js';

spoolContract('memory', (max) => createMemorySpool(max));
spoolContract('file', (max) =>
  openFileSpool({
    dir: mkdtempSync(join(tmpdir(), 'pantau-spool-')),
    maxSamples: max,
    segmentSamples: 4,
    log: silentLogger(),
    io: nodeSpoolIo,
  }),
);

describe('range helpers', () => {
  it('merges numbers into ranges', () => {
    expect(toRanges([1, 2, 3, 5, 7, 8])).toEqual([
      { fromSeq: 1, toSeq: 3 },
      { fromSeq: 5, toSeq: 5 },
      { fromSeq: 7, toSeq: 8 },
    ]);
  });
  it('finds the gaps, up to the last issued number', () => {
    expect(goneRanges(0, 10, [2, 3, 6], 8)).toEqual([
      { fromSeq: 0, toSeq: 1 },
      { fromSeq: 4, toSeq: 5 },
      { fromSeq: 7, toSeq: 8 },
    ]);
    expect(goneRanges(0, 10, [], -1)).toEqual([]);
  });
});
