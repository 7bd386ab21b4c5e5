import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Collector } from '@pantau/collector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Mosquitto, startMosquitto } from '../../helpers/mosquitto.js';
import { buildSite, range, requestResend, storedSeqs } from '../../helpers/site.js';
import { startCollector } from '../../helpers/stack.js';
import { waitFor } from '../../helpers/wait.js';

/** Asks for any gap as the collector's gap-filler would; returns how many numbers it asked for. */
async function fillGaps(collector: Collector, brokerUrl: string, siteId: string, lastSeq: number): Promise<number> {
  const have = new Set(await storedSeqs(collector, siteId));
  const missing = range(0, lastSeq).filter((s) => !have.has(s));
  const first = missing[0];
  const last = missing.at(-1);
  if (first !== undefined && last !== undefined) await requestResend(brokerUrl, siteId, first, last);
  return missing.length;
}

describe('broker and collector restarts with messages in flight', () => {
  let mosquitto: Mosquitto;
  beforeAll(async () => {
    mosquitto = await startMosquitto({ persistence: true });
  });
  afterAll(async () => {
    await mosquitto?.stop();
  });

  it('the broker restarts mid-stream: every sample ends up stored exactly once', { timeout: 60_000 }, async () => {
    const collector = await startCollector(mosquitto.url, 'collector-broker-restart');
    const siteId = 'restart-broker-01';
    const { agent, cycles } = await buildSite(siteId, mosquitto.url);
    await agent.start();
    await waitFor('connected', () => agent.stats.connected);
    const taking = (async () => {
      for (let i = 0; i < 200; i++) {
        await cycles.fire();
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    await waitFor('some samples stored', async () => (await storedSeqs(collector, siteId)).length > 30);
    await mosquitto.halt();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await mosquitto.resume();
    await taking;
    await waitFor('the agent back and its spool drained', () => agent.stats.connected && agent.stats.spoolDepth === 0);
    // What the restart lost between broker and collector, the collector asks for again, as its
    // gap-filler does; the agent answers from its spool.
    for (let round = 0; round < 5; round++) {
      const complete = await waitFor(
        'every sample',
        async () => (await storedSeqs(collector, siteId)).length === 200,
        3000,
      ).catch(() => false);
      if (complete) break;
      await fillGaps(collector, mosquitto.url, siteId, 199);
    }
    expect(await storedSeqs(collector, siteId)).toEqual(range(0, 199));
    await agent.stop();
    await collector.stop();
  });

  it('the collector restarts mid-stream: the broker keeps its session, nothing is lost or doubled', async () => {
    const clientId = 'collector-restart';
    const dbPath = join(mkdtempSync(join(tmpdir(), 'pantau-collector-')), 'pantau.sqlite');
    let collector = await startCollector(mosquitto.url, clientId, { sqlitePath: dbPath });
    const siteId = 'restart-collector-01';
    const { agent, cycles } = await buildSite(siteId, mosquitto.url);
    await agent.start();
    await waitFor('connected', () => agent.stats.connected);
    for (let i = 0; i < 50; i++) await cycles.fire();
    await collector.stop();
    for (let i = 0; i < 50; i++) await cycles.fire();
    await waitFor('the agent delivered to the broker', () => agent.stats.spoolDepth === 0);
    collector = await startCollector(mosquitto.url, clientId, { sqlitePath: dbPath });
    await waitFor('every sample', async () => (await storedSeqs(collector, siteId)).length === 100);
    expect(await storedSeqs(collector, siteId)).toEqual(range(0, 99));
    await agent.stop();
    await collector.stop();
  });
});
