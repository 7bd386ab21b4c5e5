import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Collector } from '@pantau/collector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Mosquitto, startMosquitto } from '../helpers/mosquitto.js';
import { protocolExamples } from '../helpers/protocol-doc.js';
import { startCollector } from '../helpers/stack.js';
import { waitFor } from '../helpers/wait.js';

const run = promisify(execFile);

/** What a third party does: mosquitto_pub, with the protocol document's own examples. */
describe('the protocol document, published with mosquitto_pub to a real Mosquitto', () => {
  let mosquitto: Mosquitto;
  let collector: Collector;
  const pub = (topic: string, message: string, ...flags: string[]) =>
    run('mosquitto_pub', [
      '-h',
      '127.0.0.1',
      '-p',
      String(mosquitto.port),
      '-q',
      '1',
      ...flags,
      '-t',
      topic,
      '-m',
      message,
    ]);

  beforeAll(async () => {
    mosquitto = await startMosquitto();
    // The examples carry fixed, synchronised times; a long retention keeps them inside the
    // collector's plausible-time window for years.
    collector = await startCollector(mosquitto.url, 'pantau-collector-test', { retention: { rawDays: 3650 } });
  });
  afterAll(async () => {
    await collector?.stop();
    await mosquitto?.stop();
  });

  it('stores the telemetry example, and the same message published twice once', async () => {
    const example = protocolExamples().find((e) => e.kind === 'telemetry');
    if (example === undefined) throw new Error('docs/protocol.md has no telemetry example');
    await pub(example.topic, example.json);
    await pub(example.topic, example.json);
    await waitFor('both copies ingested', () => collector.ingest.counters().duplicates === 2);
    const samples = await collector.store.listSamples('kutim-sangatta-01');
    expect(samples.map((s) => s.seq)).toEqual([41, 42]);
    expect(collector.ingest.counters()).toMatchObject({ samplesStored: 2, duplicates: 2, rejected: 0 });
  });

  it('applies the retained status example', async () => {
    const example = protocolExamples().find((e) => e.kind === 'status');
    if (example === undefined) throw new Error('docs/protocol.md has no status example');
    await pub(example.topic, example.json, '-r');
    const site = await waitFor('the status', async () =>
      (await collector.store.listSites()).find((s) => s.siteId === 'kutim-sangatta-01' && s.status !== null),
    );
    expect(site.status).toMatchObject({ state: 'online', reason: 'connected', epoch: 17 });
  });

  it('rejects malformed messages with a counted reason and keeps ingesting', async () => {
    const topic = 'pantau/v1/site/bad-01/telemetry';
    const before = collector.ingest.counters();
    await pub(topic, '{"v":1,"siteId":"bad-01","samples":[{"seq":"one"}]');
    await pub(
      topic,
      JSON.stringify({ v: 1, siteId: 'bad-01', agentVersion: 'x', sentAtMs: 1, samples: [{ seq: -1 }] }),
    );
    await pub(topic, JSON.stringify({ v: 9 }));
    const valid = {
      v: 1,
      siteId: 'bad-01',
      agentVersion: 'x',
      sentAtMs: 1,
      samples: [{ seq: 5, bootId: 'b', wallMs: 1, clockSynced: false, uptimeMs: 1 }],
    };
    await pub(topic, JSON.stringify(valid));
    await waitFor(
      'the valid message after the bad ones',
      async () => (await collector.store.listSamples('bad-01')).length === 1,
    );
    const after = collector.ingest.counters();
    expect(after.rejected - before.rejected).toBe(3);
    expect(after.rejectsByReason).toMatchObject({ invalid_json: 1, invalid_schema: 1, unsupported_version: 1 });
    expect(collector.ingest.rejects.quarantine()[0]?.topic).toBe(topic);
  });
});
