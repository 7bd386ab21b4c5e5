import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import { columnarPayload, text, varint } from '@pantau/bench/payload-parts';
import { encodePayload } from '@pantau/shared';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { COLLECTOR_MAIN, runBin } from '../helpers/bins.js';
import { type Mosquitto, startMosquitto } from '../helpers/mosquitto.js';
import { waitFor } from '../helpers/wait.js';

/**
 * A poison message must never stop ingest: published before valid batches to a real Mosquitto, it
 * is rejected, counted, quarantined and acknowledged by the real collector program (run with a
 * 256 MiB heap, as a small NOC box might), the batches behind it are stored, and after a restart
 * the broker does not deliver it again. Before, the first of these drove the decoder to 4 GB: the
 * collector died, and the broker, holding the unacknowledged message, killed it at every restart.
 */
const SITE = 'poison-01';
const TOPIC = `pantau/v1/site/${SITE}/telemetry`;
const CLIENT_ID = 'poison-collector';

const poison: { readonly payload: Buffer; readonly reason: string }[] = [
  {
    // 100,000 samples and 10,000 constant columns, in 61 bytes.
    payload: columnarPayload(
      [
        1,
        ...text('x'),
        ...varint(100_000),
        ...varint(10_000),
        ...Array.from({ length: 10_000 }, () => [6, 0, 0]).flat(),
      ],
      [],
    ),
    reason: 'limit_exceeded',
  },
  {
    payload: Buffer.concat([
      Buffer.from([2]),
      brotliCompressSync(`{"v":1,"samples":${'['.repeat(4e6)}${']'.repeat(4e6)}}`),
    ]),
    reason: 'limit_exceeded',
  },
  { payload: Buffer.from([4, 3, 0xff, 0xff, 0xff, 0]), reason: 'invalid_compression' },
];

function batch(seq: number): Buffer {
  const now = Date.now();
  return encodePayload(
    'telemetry',
    {
      v: 1,
      siteId: SITE,
      agentVersion: 'test',
      sentAtMs: now,
      samples: [{ seq, bootId: 'boot', wallMs: now, clockSynced: true, uptimeMs: 1000 + seq }],
    },
    seq % 2 === 0 ? 'columnar' : 'json',
  );
}

interface Running {
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/** `pantau-collector serve` against `broker`, resolved once it has subscribed. */
async function startCollectorProgram(broker: Mosquitto, sqlitePath: string): Promise<Running> {
  const child = spawn(process.execPath, ['--max-old-space-size=256', COLLECTOR_MAIN, 'serve'], {
    env: {
      ...process.env,
      PANTAU_MQTT_URL: broker.url,
      PANTAU_MQTT_CLIENT_ID: CLIENT_ID,
      PANTAU_SQLITE_PATH: sqlitePath,
      PANTAU_LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const running = {
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
  try {
    await waitFor('the collector subscribed', () => {
      if (child.exitCode !== null) throw new Error(`the collector exited ${child.exitCode}: ${output.slice(-2000)}`);
      return output.includes('"event":"subscribed"');
    });
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return running;
}

async function storedSamples(sqlitePath: string): Promise<number> {
  const result = await runBin(COLLECTOR_MAIN, ['completeness', '--site', SITE, '--db', sqlitePath, '--json']);
  if (result.code !== 0) return 0;
  return (JSON.parse(result.stdout) as { received: number }[]).reduce((sum, d) => sum + d.received, 0);
}

async function quarantine(sqlitePath: string): Promise<string[]> {
  const result = await runBin(COLLECTOR_MAIN, ['rejects', '--db', sqlitePath, '--json']);
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { reason: string }[]).map((r) => r.reason).sort();
}

describe('poison messages on a real broker', () => {
  let broker: Mosquitto | undefined;
  let collector: Running | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'pantau-poison-'));
  afterEach(async () => {
    await collector?.stop();
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('are rejected and acknowledged once, the batches behind them stored, not brought back by a restart', async () => {
    broker = await startMosquitto({ persistence: true });
    const sqlitePath = join(dir, 'pantau.sqlite');
    // A first run registers the collector's persistent session; while it is down the broker queues for it.
    collector = await startCollectorProgram(broker, sqlitePath);
    await collector.stop();

    const publisher = await mqtt.connectAsync(broker.url, { clientId: 'poison-publisher' });
    try {
      for (const p of poison) await publisher.publishAsync(TOPIC, p.payload, { qos: 1 });
      for (const seq of [1, 2, 3]) await publisher.publishAsync(TOPIC, batch(seq), { qos: 1 });

      collector = await startCollectorProgram(broker, sqlitePath);
      await waitFor(
        'the batches behind the poison stored',
        async () => (await storedSamples(sqlitePath)) === 3,
        30_000,
        200,
      );
      expect(collector.child.exitCode).toBeNull();
      expect(await quarantine(sqlitePath)).toEqual(poison.map((p) => p.reason).sort());

      // Restarted: what the broker still held for the collector would come first, before a new batch.
      await collector.stop();
      collector = await startCollectorProgram(broker, sqlitePath);
      await publisher.publishAsync(TOPIC, batch(4), { qos: 1 });
      await waitFor(
        'a new batch stored after the restart',
        async () => (await storedSamples(sqlitePath)) === 4,
        30_000,
        200,
      );
      expect(collector.child.exitCode).toBeNull();
      expect(await quarantine(sqlitePath)).toEqual(poison.map((p) => p.reason).sort());
    } finally {
      await publisher.endAsync();
    }
  }, 120_000);
});
