import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StoredCounters } from '@pantau/collector';
import { decodePayload, type SampleInput } from '@pantau/shared';
import Database from 'better-sqlite3';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTOR_MAIN, runBin } from '../../helpers/bins.js';
import { type Mosquitto, startMosquitto } from '../../helpers/mosquitto.js';
import { tempDirs } from '../../helpers/temp-dirs.js';
import { waitFor } from '../../helpers/wait.js';

const dirs = tempDirs();
const children: ChildProcess[] = [];

/** The built collector serving with `configPath`; resolves once it has started (subscribed). */
async function startCollectorProcess(configPath: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [COLLECTOR_MAIN, 'serve', '--config', configPath], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { PATH: process.env.PATH },
  });
  children.push(child);
  let out = '';
  child.stdout?.on('data', (chunk) => {
    out += String(chunk);
  });
  await waitFor('the collector subscribed', () => out.includes('"event":"started"'), 30_000);
  return child;
}

async function kill(child: ChildProcess): Promise<void> {
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

/** `pantau-collector stats --json`, as an operator runs it beside (or after) the collector. */
async function stats(configPath: string): Promise<StoredCounters> {
  const run = await runBin(COLLECTOR_MAIN, ['stats', '--json', '--config', configPath], { timeoutMs: 30_000 });
  if (run.code !== 0) throw new Error(`stats failed (${run.code}): ${run.stderr}`);
  return JSON.parse(run.stdout) as StoredCounters;
}

const NOW = Date.now();
const sample = (seq: number, batteryVolts = 12.5): SampleInput => ({
  seq,
  bootId: 'boot-1',
  wallMs: NOW - 60_000 * (1000 - seq),
  clockSynced: true,
  uptimeMs: 60_000 * seq,
  probes: { power: { batteryVolts } },
});
const telemetry = (siteId: string, samples: SampleInput[]) =>
  JSON.stringify({ v: 1, siteId, agentVersion: 'test', sentAtMs: NOW, samples });
const statusOf = (siteId: string, epoch: number) =>
  JSON.stringify({
    v: 1,
    siteId,
    state: 'offline',
    reason: 'connection_lost',
    epoch,
    atMs: NOW,
    bootId: 'boot-1',
    agentVersion: 'test',
  });

/**
 * The counters `pantau-collector stats` shows live in the store, committed with what they count:
 * a collector killed with SIGKILL (no clean stop, nothing flushed) loses none of them, and one
 * killed while messages are in flight counts none twice when the broker delivers them again.
 */
describe('collector counters across SIGKILL', () => {
  let mosquitto: Mosquitto;
  let publisher: MqttClient;
  let configPath: string;
  let dbPath: string;
  /** Samples stored so far, read straight from the database (faster than a `stats` process per poll). */
  const storedNow = () => {
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      return db.prepare<[], { n: number }>('SELECT coalesce(sum(samples), 0) AS n FROM sites').get()?.n ?? 0;
    } finally {
      db.close();
    }
  };
  beforeAll(async () => {
    mosquitto = await startMosquitto();
    publisher = await mqtt.connectAsync(mosquitto.url, { clientId: 'counters-site' });
    const dir = dirs.make('counters');
    configPath = join(dir, 'collector.json');
    dbPath = join(dir, 'pantau.sqlite');
    writeFileSync(
      configPath,
      JSON.stringify({
        mqtt: { url: mosquitto.url, clientId: 'collector-counters', reconnectMs: 200 },
        store: { sqlitePath: dbPath },
        // Ask for a hole at once, so a resend request and its recovery happen within the test.
        gaps: { graceSec: 0, scanIntervalSec: 1, retrySec: 3600 },
        log: { level: 'info' },
      }),
    );
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await publisher?.endAsync();
    await mosquitto?.stop();
    dirs.removeAll();
  });

  const publish = (topic: string, payload: string) => publisher.publishAsync(topic, payload, { qos: 1 });

  it('keeps duplicates, rejects, implausible figures, stale statuses, resend requests and recoveries', {
    timeout: 180_000,
  }, async () => {
    let collector = await startCollectorProcess(configPath);
    const first = telemetry(
      'site-a',
      [0, 1, 2, 3, 4].map((seq) => sample(seq, seq === 2 ? 1e300 : 12.5)),
    );
    await publish('pantau/v1/site/site-a/telemetry', first);
    await publish('pantau/v1/site/site-a/telemetry', first);
    await publish('pantau/v1/site/site-a/telemetry', '{not json');
    await publish('pantau/v1/site/site-a/telemetry', telemetry('site-b', [sample(0)]));
    await publish('pantau/v1/site/site-a/status', statusOf('site-a', 5));
    await publish('pantau/v1/site/site-a/status', statusOf('site-a', 4));
    const expected = {
      samples: 5,
      duplicates: 5,
      rejectsByReason: { invalid_json: 1, site_mismatch: 1 },
      implausibleByField: { 'power.batteryVolts': 1 },
      staleStatuses: 1,
    };
    await waitFor(
      'the counters committed',
      async () => {
        const c = await stats(configPath);
        return c.staleStatuses === 1 && c.duplicates === 5 && c.samples === 5;
      },
      60_000,
    );
    await kill(collector);
    expect(await stats(configPath)).toMatchObject(expected);

    // A second collector on the same store, killed while LOAD batches (each with one implausible
    // figure) are in flight; a third drains the rest. Batches committed but not yet acknowledged
    // come again: their samples count as duplicates, their figures are not counted twice. (Under
    // Mosquitto's default queue of 1000 messages for the absent collector.)
    const LOAD = 600;
    collector = await startCollectorProcess(configPath);
    const batches = Array.from({ length: LOAD }, (_, i) => telemetry(`load-${i % 10}`, [sample(i, 500)]));
    const sending = Promise.all(batches.map((b, i) => publish(`pantau/v1/site/load-${i % 10}/telemetry`, b)));
    await waitFor('some of the batches stored', () => storedNow() > 5 + 20, 60_000, 5);
    await kill(collector);
    await sending;
    expect(storedNow()).toBeLessThan(5 + LOAD);
    collector = await startCollectorProcess(configPath);
    await waitFor('every batch stored', () => storedNow() === 5 + LOAD, 90_000);
    const drained = await stats(configPath);
    expect(drained.implausibleByField).toEqual({ 'power.batteryVolts': 1 + LOAD });
    expect(drained.duplicates).toBeGreaterThanOrEqual(5);
    expect(drained).toMatchObject({ rejectsByReason: expected.rejectsByReason, staleStatuses: 1 });

    // A hole: the collector asks site-a to resend 5..7; the "site" answers, and those samples count as recovered.
    const site = await mqtt.connectAsync(mosquitto.url, { clientId: 'counters-site-a' });
    site.on('message', (_topic, payload) => {
      const request = decodePayload('resend', payload);
      if (!request.ok) return;
      const seqs = [];
      for (let s = request.value.fromSeq; s <= request.value.toSeq; s++) seqs.push(sample(s));
      void publish('pantau/v1/site/site-a/telemetry', telemetry('site-a', seqs));
    });
    await site.subscribeAsync('pantau/v1/site/site-a/resend', { qos: 1 });
    await publish('pantau/v1/site/site-a/telemetry', telemetry('site-a', [sample(8)]));
    await waitFor('the hole filled by resend', async () => (await stats(configPath)).recoveredSamples === 3, 60_000);
    await site.endAsync();
    await kill(collector);
    const final = await stats(configPath);
    expect(final.recoveredSamples).toBe(3);
    expect(final.resendRequests).toBeGreaterThanOrEqual(1);
    expect(final.samples).toBe(5 + LOAD + 1 + 3);
  });
});
