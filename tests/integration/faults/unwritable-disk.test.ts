import { join } from 'node:path';
import type { Collector } from '@pantau/collector';
import { decodePayload, type SiteStatus } from '@pantau/shared';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Mosquitto, startMosquitto } from '../../helpers/mosquitto.js';
import { buildSite, range, storedSeqs } from '../../helpers/site.js';
import { startCollector } from '../../helpers/stack.js';
import { startTmpfs, type Tmpfs } from '../../helpers/tmpfs.js';
import { waitFor } from '../../helpers/wait.js';

/** Every status the site publishes, in order. */
async function watchStatus(url: string, siteId: string): Promise<{ statuses: SiteStatus[]; client: MqttClient }> {
  const client = await mqtt.connectAsync(url, { clientId: `watch-${siteId}` });
  const statuses: SiteStatus[] = [];
  client.on('message', (_topic, payload) => {
    const status = decodePayload('status', payload);
    if (status.ok) statuses.push(status.value);
  });
  await client.subscribeAsync(`pantau/v1/site/${siteId}/status`, { qos: 1 });
  return { statuses, client };
}

/**
 * The agent's data folder on a real tmpfs that fills up, or that is read-only from the start (an
 * SD card that turned read-only, then the Pi rebooted), against a real Mosquitto restarted while
 * the disk refuses writes: the agent must reconnect every time, deliver what is on the disk, and
 * lose only the samples it reports.
 */
describe('a data folder that cannot be written', () => {
  let mosquitto: Mosquitto;
  let collector: Collector;
  let tmpfs: Tmpfs | null = null;
  let brokerDown = false;
  const cleanups: (() => Promise<void>)[] = [];
  const halt = async () => {
    await mosquitto.halt();
    brokerDown = true;
  };
  const resume = async () => {
    await mosquitto.resume();
    brokerDown = false;
  };
  beforeAll(async () => {
    // Sessions and queues kept across restarts, as a production broker keeps them: the collector
    // misses nothing the agent delivers while it reconnects.
    mosquitto = await startMosquitto({ persistence: true });
    collector = await startCollector(mosquitto.url, 'collector-unwritable');
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await tmpfs?.stop();
    tmpfs = null;
    // The next test starts with the broker running.
    if (brokerDown) await resume();
  });
  afterAll(async () => {
    await collector?.stop();
    await mosquitto?.stop();
  });

  /** The broker goes away and comes back; the agent must connect again. */
  async function restartBroker(connected: () => boolean): Promise<void> {
    await halt();
    await waitFor('the agent sees the broker gone', () => !connected());
    await resume();
    await waitFor('the agent connected again', connected, 20_000);
  }

  it('full: keeps delivering what is on it, reconnects, and loses only what it reports', {
    timeout: 90_000,
  }, async () => {
    const siteId = 'disk-tmpfs-full';
    tmpfs = await startTmpfs(1024);
    const disk = tmpfs;
    const { agent, cycles } = await buildSite(siteId, mosquitto.url, {}, { dataDir: join(disk.path, 'data') });
    const watch = await watchStatus(mosquitto.url, siteId);
    cleanups.push(() => watch.client.endAsync());
    cleanups.push(() => agent.stop());
    await agent.start();
    await waitFor('connected', () => agent.stats.connected);
    for (let i = 0; i < 3; i++) await cycles.fire();
    await waitFor('0-2 stored', async () => (await storedSeqs(collector, siteId)).length === 3);

    // Offline: three samples wait on the disk. Then the disk fills up.
    await halt();
    await waitFor('offline', () => !agent.stats.connected);
    for (let i = 0; i < 3; i++) await cycles.fire();
    disk.fill();
    // The last page of the spool file may hold a sample or two more; then appends fail.
    let taken = 6;
    while (agent.stats.dropped < 2) {
      await cycles.fire();
      taken += 1;
    }
    const dropped = [taken - 2, taken - 1];
    await resume();
    await waitFor('connected', () => agent.stats.connected, 20_000);
    // A new connection needs a new epoch, which the full disk refuses.
    await restartBroker(() => agent.stats.connected);
    await waitFor('the backlog delivered', async () => (await storedSeqs(collector, siteId)).length === taken - 2);
    await waitFor('disk_full reported', () => watch.statuses.find((s) => s.spoolFault === 'disk_full'));

    disk.free();
    for (let i = 0; i < 2; i++) await cycles.fire();
    await waitFor('the rest stored', async () => (await storedSeqs(collector, siteId)).length === taken);
    const stored = await storedSeqs(collector, siteId);
    expect(stored).toEqual(range(0, taken + 1).filter((seq) => !dropped.includes(seq)));
    expect(agent.stats.dropped).toBe(2);
    await waitFor('recovery reported', () => watch.statuses.at(-1)?.spoolFault === null);
    expect(watch.statuses.at(-1)?.droppedSamples).toBe(2);
  });

  it('read-only at start: opens, delivers what is on it, reconnects, and stops cleanly', {
    timeout: 90_000,
  }, async () => {
    const siteId = 'disk-tmpfs-readonly';
    tmpfs = await startTmpfs(1024);
    const dataDir = join(tmpfs.path, 'data');
    // A first run takes three samples while the broker is away, and stops.
    await halt();
    const first = await buildSite(siteId, mosquitto.url, {}, { dataDir });
    await first.agent.start();
    for (let i = 0; i < 3; i++) await first.cycles.fire();
    await first.agent.stop();
    expect(first.agent.stats.spoolDepth).toBe(3);

    // The card turns read-only; the Pi reboots; the broker comes back.
    await tmpfs.remount('ro');
    const again = await buildSite(siteId, mosquitto.url, {}, { dataDir });
    cleanups.push(() => again.agent.stop());
    await again.agent.start();
    await resume();
    await waitFor('connected', () => again.agent.stats.connected, 20_000);
    await waitFor('what was on the disk delivered', async () => (await storedSeqs(collector, siteId)).length === 3);
    // New samples cannot be kept: each is dropped and counted.
    for (let i = 0; i < 2; i++) await again.cycles.fire();
    expect(again.agent.stats.dropped).toBe(2);
    await restartBroker(() => again.agent.stats.connected);
    await again.agent.stop();
    expect(await storedSeqs(collector, siteId)).toEqual(range(0, 2));
  });
});
