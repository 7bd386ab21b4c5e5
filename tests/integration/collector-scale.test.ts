import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Collector, openSqliteStore, type Store } from '@pantau/collector';
import { decodePayload, encodePayload, type ResendRequest, type SampleInput } from '@pantau/shared';
import mqtt from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTOR_MAIN, runBin } from '../helpers/bins.js';
import { type Mosquitto, startMosquitto } from '../helpers/mosquitto.js';
import { startCollector } from '../helpers/stack.js';
import { waitFor } from '../helpers/wait.js';

const sample = (seq: number, nowMs: number): SampleInput => ({
  seq,
  bootId: 'b1',
  wallMs: nowMs - 60_000,
  clockSynced: true,
  uptimeMs: 1000 + seq,
});
const telemetry = (siteId: string, seqs: number[], nowMs = Date.now()) =>
  encodePayload('telemetry', {
    v: 1,
    siteId,
    agentVersion: 'test',
    sentAtMs: nowMs,
    samples: seqs.map((s) => sample(s, nowMs)),
  });

describe('collectors on a real Mosquitto', () => {
  let mosquitto: Mosquitto;
  const running: Collector[] = [];
  beforeAll(async () => {
    mosquitto = await startMosquitto();
  });
  afterEach(async () => {
    for (const c of running.splice(0)) await c.stop();
  });
  afterAll(async () => {
    await mosquitto?.stop();
  });

  it('two collectors on one shared subscription split the load and store every sample once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pantau-share-'));
    // One database both write to, as two collectors would share PostgreSQL; WAL lets two processes write.
    const path = join(dir, 'shared.sqlite');
    const a = await startCollector(mosquitto.url, 'col-a', {
      mqtt: { shareGroup: 'noc' },
      store: openSqliteStore(path),
    });
    const b = await startCollector(mosquitto.url, 'col-b', {
      mqtt: { shareGroup: 'noc' },
      store: openSqliteStore(path),
    });
    running.push(a, b);
    const pub = await mqtt.connectAsync(mosquitto.url, { clientId: 'load' });
    for (let site = 0; site < 20; site++) {
      for (let i = 0; i < 10; i++)
        await pub.publishAsync(`pantau/v1/site/s${site}/telemetry`, telemetry(`s${site}`, [i]), { qos: 1 });
    }
    await pub.endAsync();
    // `messages` counts a message when ingest starts on it; wait for the commits.
    await waitFor(
      'every sample stored',
      () => a.ingest.counters().samplesStored + b.ingest.counters().samplesStored === 200,
    );
    const ca = a.ingest.counters();
    const cb = b.ingest.counters();
    expect(ca.samplesStored).toBeGreaterThan(0);
    expect(cb.samplesStored).toBeGreaterThan(0);
    expect(ca.samplesStored + cb.samplesStored).toBe(200);
    expect(ca.duplicates + cb.duplicates).toBe(0);
    expect((await a.store.listSites()).reduce((n, s) => n + s.samples, 0)).toBe(200);
  });

  it('one collector with several connections commits groups and stores every sample once', async () => {
    const c = await startCollector(mosquitto.url, 'col-multi', { ingest: { connections: 4 } });
    running.push(c);
    const pubs = await Promise.all(
      [0, 1, 2, 3].map((i) => mqtt.connectAsync(mosquitto.url, { clientId: `load-${i}` })),
    );
    await Promise.all(
      pubs.map(async (pub, p) => {
        for (let i = 0; i < 50; i++)
          await pub.publishAsync(`pantau/v1/site/m${p}/telemetry`, telemetry(`m${p}`, [i]), { qos: 1 });
        await pub.endAsync();
      }),
    );
    await waitFor('every sample stored', () => c.ingest.counters().samplesStored === 200);
    expect(c.ingest.counters()).toMatchObject({ samplesStored: 200, duplicates: 0, rejected: 0 });
  });

  it('asks a site for a missing range over MQTT, stores the resend, and stops asking for what is gone', async () => {
    const c = await startCollector(mosquitto.url, 'col-gaps', { gaps: { graceSec: 0, scanIntervalSec: 3600 } });
    running.push(c);
    // The site: answers a request with what it still has (5-7) and says 3-4 are gone.
    const site = await mqtt.connectAsync(mosquitto.url, { clientId: 'site-g1' });
    const requests: ResendRequest[] = [];
    site.on('message', (_topic, payload) => {
      const decoded = decodePayload('resend', payload);
      if (!decoded.ok) return;
      requests.push(decoded.value);
      void (async () => {
        await site.publishAsync('pantau/v1/site/g1/telemetry', telemetry('g1', [5, 6, 7]), { qos: 1 });
        const reply = encodePayload('resend-reply', {
          v: 1,
          requestId: decoded.value.requestId,
          siteId: 'g1',
          resentSamples: 3,
          gone: [{ fromSeq: 3, toSeq: 4 }],
        });
        await site.publishAsync('pantau/v1/site/g1/resend-reply', reply, { qos: 1 });
      })();
    });
    await site.subscribeAsync('pantau/v1/site/g1/resend', { qos: 1 });
    await site.publishAsync('pantau/v1/site/g1/telemetry', telemetry('g1', [0, 1, 2, 8]), { qos: 1 });
    await waitFor('the first batch', () => c.ingest.counters().samplesStored === 4);
    await c.gaps.scan();
    await waitFor('the resend and the reply', () => c.ingest.counters().resendReplies === 1);
    expect(requests).toMatchObject([{ siteId: 'g1', fromSeq: 3, toSeq: 7 }]);
    expect((await c.store.listSamples('g1')).map((s) => s.seq)).toEqual([0, 1, 2, 5, 6, 7, 8]);
    await c.gaps.scan();
    expect(requests).toHaveLength(1);
    expect(c.gaps.stats()).toMatchObject({ requestsSent: 1, openRanges: 0, goneSeqs: 2 });
    await site.endAsync();
  });

  it('the NOC reads the quarantine and completeness with the CLI', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pantau-cli-'));
    const path = join(dir, 'pantau.sqlite');
    const store: Store = openSqliteStore(path);
    const c = await startCollector(mosquitto.url, 'col-cli', { store });
    running.push(c);
    const pub = await mqtt.connectAsync(mosquitto.url, { clientId: 'cli-load' });
    await pub.publishAsync('pantau/v1/site/c1/telemetry', Buffer.from('{"v":1,"siteId":"c1"'), { qos: 1 });
    await pub.publishAsync('pantau/v1/site/c1/telemetry', telemetry('c1', [0, 1, 3]), { qos: 1 });
    await pub.endAsync();
    await waitFor('both messages', () => c.ingest.counters().samplesStored === 3 && c.ingest.counters().rejected === 1);
    await store.refreshRollups(100);
    const rejects = await runBin(COLLECTOR_MAIN, ['rejects', '--db', path, '--json']);
    expect(rejects.code).toBe(0);
    expect(JSON.parse(rejects.stdout)).toMatchObject([
      { reason: 'invalid_json', topic: 'pantau/v1/site/c1/telemetry' },
    ]);
    const table = await runBin(COLLECTOR_MAIN, ['rejects', '--db', path]);
    expect(table.stdout).toContain('first bytes: {"v":1,"siteId":"c1"');
    const completeness = await runBin(COLLECTOR_MAIN, ['completeness', '--site', 'c1', '--db', path, '--json']);
    expect(completeness.code).toBe(0);
    const days = JSON.parse(completeness.stdout) as { received: number; expected: number }[];
    expect(days.at(-1)).toMatchObject({ received: 3, expected: 4 });
    const text = await runBin(COLLECTOR_MAIN, ['completeness', '--site', 'c1', '--db', path]);
    expect(text.stdout).toContain('75.0 %');
  });
});
