import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Collector } from '@pantau/collector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_MAIN, LOOPBACK_ONLY_AGENT_ENV } from '../../helpers/bins.js';
import { type Mosquitto, startMosquitto } from '../../helpers/mosquitto.js';
import { range, spoolSeqs, storedSeqs } from '../../helpers/site.js';
import { startCollector } from '../../helpers/stack.js';
import { waitFor } from '../../helpers/wait.js';

const SITES = 4;
const KILLS_PER_SITE = 25;

function spawnAgent(siteId: string, dataDir: string, brokerUrl: string): ChildProcess {
  return spawn(process.execPath, [AGENT_MAIN, 'run'], {
    stdio: ['ignore', 'pipe', 'ignore'],
    env: {
      PATH: process.env.PATH,
      ...LOOPBACK_ONLY_AGENT_ENV,
      PANTAU_SITE_ID: siteId,
      PANTAU_MQTT_URL: brokerUrl,
      PANTAU_DATA_DIR: dataDir,
      PANTAU_SAMPLE_INTERVAL_SEC: '1',
      PANTAU_DELIVERY_INTERVAL_SEC: '1',
      PANTAU_MQTT_START_DELAY_MAX_MS: '0',
      PANTAU_MQTT_BACKOFF_MIN_MS: '50',
      PANTAU_MQTT_BACKOFF_MAX_MS: '500',
      PANTAU_LATENCY_TARGETS: '[]',
      PANTAU_LOG_LEVEL: 'info',
    },
  });
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves when the agent has logged that it started (or after `maxMs`, whichever is first). */
function started(agent: ChildProcess, maxMs = 5000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, maxMs);
    agent.stdout?.on('data', (chunk) => {
      if (String(chunk).includes('"event":"started"')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

/**
 * The built agent, killed with SIGKILL at random moments (starting, sampling, writing, publishing,
 * waiting for a PUBACK) 100 times, then run to a clean stop: the collector must hold exactly the
 * samples the spool holds, every one once, with no gap.
 */
describe('SIGKILL at random moments, 100 times', () => {
  let mosquitto: Mosquitto;
  let collector: Collector;
  beforeAll(async () => {
    mosquitto = await startMosquitto();
    collector = await startCollector(mosquitto.url, 'collector-sigkill');
  });
  afterAll(async () => {
    await collector?.stop();
    await mosquitto?.stop();
  });

  it('loses no sample and stores none twice', { timeout: 600_000 }, async () => {
    const sites = Array.from({ length: SITES }, (_, i) => ({
      siteId: `sigkill-${i}`,
      dataDir: mkdtempSync(join(tmpdir(), 'pantau-sigkill-')),
    }));
    let kills = 0;
    await Promise.all(
      sites.map(async ({ siteId, dataDir }) => {
        for (let k = 0; k < KILLS_PER_SITE; k++) {
          const agent = spawnAgent(siteId, dataDir, mosquitto.url);
          // One kill in five while starting up (opening the spool); the rest while it samples,
          // writes and publishes, at a random moment within two sample intervals.
          if (Math.random() < 0.2) await pause(Math.random() * 500);
          else {
            // However long a loaded machine takes to start it, then a random moment of its run.
            await started(agent, 30_000);
            await pause(Math.random() * 2000);
          }
          agent.kill('SIGKILL');
          await once(agent, 'exit');
          kills += 1;
        }
      }),
    );
    expect(kills).toBe(SITES * KILLS_PER_SITE);

    // Then runs to a clean stop until the spool is drained (on a loaded machine one run may
    // not be long enough to deliver what the killed runs left).
    await Promise.all(
      sites.map(async ({ siteId, dataDir }) => {
        for (let round = 0; round < 5; round++) {
          const agent = spawnAgent(siteId, dataDir, mosquitto.url);
          // Until it has started, Node has not loaded the agent's SIGTERM handler: on a loaded
          // machine that takes seconds, and a SIGTERM then kills it as a SIGKILL would.
          await started(agent, 60_000);
          await pause(2500);
          agent.kill('SIGTERM');
          const [code] = await once(agent, 'exit');
          expect(code).toBe(0);
          if (spoolSeqs(dataDir).depth === 0) return;
        }
      }),
    );

    let total = 0;
    for (const { siteId, dataDir } of sites) {
      const spool = spoolSeqs(dataDir);
      expect(spool).toMatchObject({ depth: 0, dropped: 0 });
      expect(spool.held).toEqual(range(0, spool.lastSeq));
      await waitFor(
        `${siteId} complete`,
        async () => (await storedSeqs(collector, siteId)).length === spool.held.length,
      );
      expect(await storedSeqs(collector, siteId)).toEqual(spool.held);
      total += spool.held.length;
    }
    // Every sample stored once; whatever arrived again (a PUBACK lost to a kill) counted as duplicate.
    const { samplesStored, duplicates } = collector.ingest.counters();
    expect(samplesStored).toBe(total);
    console.info(`sigkill loop: ${kills} kills, ${total} samples stored once each, ${duplicates} duplicates counted`);
    expect(total).toBeGreaterThan(SITES * KILLS_PER_SITE * 0.5);
  });
});
