import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createIngest, openSqliteStore, type RejectReason } from '@pantau/collector';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../helpers/fakes.js';
import { badCase, FUZZ_MAX_BYTES, goodBatch, prng } from '../../helpers/fuzz.js';

const NOW = Date.UTC(2026, 10, 23, 12);
const BAD = 100_000;

describe('ingest under fuzz', () => {
  it(`rejects ${BAD} bad payloads with their reasons, stores none of them, and every good one in between`, async () => {
    const store = openSqliteStore(join(mkdtempSync(join(tmpdir(), 'pantau-fuzz-')), 'db.sqlite'));
    const ingest = createIngest(
      { topicRoot: 'pantau/v1', maxPayloadBytes: FUZZ_MAX_BYTES, quarantineSize: 500 },
      { store, log: silentLogger(), nowMs: () => NOW },
    );
    const rand = prng(20261123);
    const expected: Partial<Record<RejectReason, number>> = {};
    let good = 0;
    for (let i = 0; i < BAD; i++) {
      const c = badCase(rand, NOW, i);
      if (c.reason !== null) expected[c.reason] = (expected[c.reason] ?? 0) + 1;
      await ingest.handle(c.topic, c.payload);
      if (i % 10 === 0) {
        const site = `f${good % 97}`;
        await ingest.handle(
          `pantau/v1/site/${site}/telemetry`,
          Buffer.from(JSON.stringify(goodBatch(site, good, NOW))),
        );
        good += 1;
      }
    }
    const counters = ingest.counters();
    expect(counters.rejected).toBe(BAD);
    expect(counters.rejectsByReason).toEqual(expected);
    expect(Object.keys(expected).sort()).toEqual([
      'empty',
      'invalid_json',
      'invalid_schema',
      'invalid_utf8',
      'limit_exceeded',
      'site_mismatch',
      'time_out_of_bounds',
      'too_large',
      'unknown_topic',
      'unsupported_version',
    ]);
    expect(counters.samplesStored).toBe(good);
    expect(counters.quarantineWriteFailures).toBe(0);
    // No bad row: exactly the good sequence numbers (0..good-1), none of the bad ones (1,000,000+).
    const sites = await store.listSites();
    expect(sites.reduce((n, s) => n + s.samples, 0)).toBe(good);
    const seqs = (await Promise.all(sites.map((s) => store.listSamples(s.siteId)))).flat().map((s) => s.seq);
    expect(seqs.sort((a, b) => a - b)).toEqual(Array.from({ length: good }, (_, i) => i));
    expect(await store.listRejects(10_000)).toHaveLength(500);
    await store.close();
  }, 600_000);
});
