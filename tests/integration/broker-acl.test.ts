import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import type { Collector } from '@pantau/collector';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Mosquitto, startMosquitto } from '../helpers/mosquitto.js';
import { protocolExamples } from '../helpers/protocol-doc.js';
import { SHIPPED_ACL } from '../helpers/shipped-mosquitto.js';
import { startCollector } from '../helpers/stack.js';
import { waitFor } from '../helpers/wait.js';

const run = promisify(execFile);

/** The ACL deploy/mosquitto ships (docs/storage.md quotes it). */
function documentedAcl(): string {
  return readFileSync(SHIPPED_ACL, 'utf8');
}

/** The telemetry example of docs/protocol.md, re-addressed to another site. */
function telemetryFor(siteId: string): { topic: string; json: string } {
  const example = protocolExamples().find((e) => e.kind === 'telemetry');
  if (example === undefined) throw new Error('docs/protocol.md has no telemetry example');
  const original = JSON.parse(example.json).siteId as string;
  return {
    topic: example.topic.replace(`/site/${original}/`, `/site/${siteId}/`),
    json: example.json.replaceAll(`"${original}"`, `"${siteId}"`),
  };
}

describe('the shipped broker ACL, in a real Mosquitto: a site writes only its own topics', () => {
  let mosquitto: Mosquitto;
  let collector: Collector;
  const users = { 'site-a': 'pw-a', 'site-b': 'pw-b', 'pantau-collector': 'pw-c' };
  const pubAs = (user: keyof typeof users, topic: string, message: string) =>
    run('mosquitto_pub', [
      ...['-h', '127.0.0.1', '-p', String(mosquitto.port), '-q', '1'],
      ...['-u', user, '-P', users[user], '-t', topic, '-m', message],
    ]);

  beforeAll(async () => {
    mosquitto = await startMosquitto({ users, acl: documentedAcl() });
    collector = await startCollector(mosquitto.url, 'pantau-collector-acl', {
      mqtt: { username: 'pantau-collector', password: 'pw-c' },
      // The examples carry fixed times; a long retention keeps them plausible.
      retention: { rawDays: 3650 },
    });
  });
  afterAll(async () => {
    await collector?.stop();
    await mosquitto?.stop();
  });

  it("drops a site's batch for another site, and stores each site's own", async () => {
    const forged = telemetryFor('site-b');
    await pubAs('site-a', forged.topic, forged.json);
    const own = telemetryFor('site-a');
    await pubAs('site-a', own.topic, own.json);
    // Mosquitto acknowledges a denied QoS 1 publish and drops it; the site's own batch, sent after
    // it on the same path, shows the forged one had its chance to arrive.
    await waitFor("site-a's batch", async () =>
      (await collector.store.listSamples('site-a')).length > 0 ? true : null,
    );
    expect(await collector.store.listSamples('site-b')).toEqual([]);
    const legit = telemetryFor('site-b');
    await pubAs('site-b', legit.topic, legit.json);
    await waitFor("site-b's batch", async () =>
      (await collector.store.listSamples('site-b')).length > 0 ? true : null,
    );
    expect(collector.ingest.counters()).toMatchObject({ rejected: 0, duplicates: 0 });
  });

  it("lets a site read its own resend requests and not another site's", async () => {
    const read = async (user: 'site-a' | 'site-b') => {
      const client = await mqtt.connectAsync(mosquitto.url, { username: user, password: users[user], clean: true });
      const got: string[] = [];
      client.on('message', (topic) => got.push(topic));
      await client.subscribeAsync('pantau/v1/site/+/resend', { qos: 1 });
      return { client, got };
    };
    const a = await read('site-a');
    const b = await read('site-b');
    try {
      // b, a, b: a cross-delivered request would arrive before the one each site waits for last.
      await pubAs('pantau-collector', 'pantau/v1/site/site-b/resend', '{}');
      await pubAs('pantau-collector', 'pantau/v1/site/site-a/resend', '{}');
      await pubAs('pantau-collector', 'pantau/v1/site/site-b/resend', '{}');
      await waitFor('the requests', () => a.got.length >= 1 && b.got.length >= 2);
      expect(a.got).toEqual(['pantau/v1/site/site-a/resend']);
      expect(b.got).toEqual(['pantau/v1/site/site-b/resend', 'pantau/v1/site/site-b/resend']);
    } finally {
      await a.client.endAsync();
      await b.client.endAsync();
    }
  });
});
