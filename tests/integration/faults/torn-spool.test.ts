import { appendFileSync, mkdtempSync, readdirSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeSpoolIo, openFileSpool } from '@pantau/agent';
import type { Collector } from '@pantau/collector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../helpers/fakes.js';
import { type Mosquitto, startMosquitto } from '../../helpers/mosquitto.js';
import { buildSite, range, storedSeqs } from '../../helpers/site.js';
import { startCollector } from '../../helpers/stack.js';
import { waitFor } from '../../helpers/wait.js';

/** A data dir whose spool holds samples 0..9 not yet delivered, as a power cut would leave it. */
async function spoolLeftBehind(): Promise<{ dataDir: string; segment: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pantau-torn-'));
  const dir = join(dataDir, 'spool');
  const spool = openFileSpool({ dir, maxSamples: 1000, segmentSamples: 1440, log: silentLogger(), io: nodeSpoolIo });
  for (const seq of range(0, 9)) {
    await spool.append({
      seq,
      bootId: 'before-the-cut',
      wallMs: 1_795_392_000_000 + seq * 60_000,
      clockSynced: true,
      uptimeMs: seq,
    });
  }
  spool.close();
  const name = readdirSync(dir).find((n) => n.startsWith('seg-')) ?? '';
  return { dataDir, segment: join(dir, name) };
}

describe('a spool damaged by a power cut', () => {
  let mosquitto: Mosquitto;
  let collector: Collector;
  beforeAll(async () => {
    mosquitto = await startMosquitto();
    collector = await startCollector(mosquitto.url, 'collector-torn');
  });
  afterAll(async () => {
    await collector?.stop();
    await mosquitto?.stop();
  });

  it.each([
    ['a torn last record', (segment: string) => truncateSync(segment, statSync(segment).size - 5), range(0, 8)],
    ['garbage appended', (segment: string) => appendFileSync(segment, Buffer.alloc(3000, 0xa5)), range(0, 9)],
  ])('with %s: every complete record is delivered once, numbering goes on', async (label, damage, kept) => {
    const siteId = label.includes('torn') ? 'torn-01' : 'garbage-01';
    const { dataDir, segment } = await spoolLeftBehind();
    damage(segment);
    const { agent, cycles } = await buildSite(siteId, mosquitto.url, {}, { dataDir });
    await agent.start();
    await waitFor('connected', () => agent.stats.connected);
    for (let i = 0; i < 3; i++) await cycles.fire();
    const last = (kept.at(-1) ?? -1) + 3;
    await waitFor('all stored', async () => (await storedSeqs(collector, siteId)).length === last + 1);
    expect(await storedSeqs(collector, siteId)).toEqual(range(0, last));
    await agent.stop();
  });
});
