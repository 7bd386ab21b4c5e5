import { nodeSpoolIo, type SpoolIo } from '@pantau/agent';
import type { Collector } from '@pantau/collector';
import { decodePayload } from '@pantau/shared';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Mosquitto, startMosquitto } from '../../helpers/mosquitto.js';
import { buildSite, range, storedSeqs } from '../../helpers/site.js';
import { startCollector } from '../../helpers/stack.js';
import { waitFor } from '../../helpers/wait.js';

/**
 * A full disk, made by the spool's injected writer: after the budget it writes part of the record
 * and fails with ENOSPC, as a full ext4 does. (A loop-mounted image needs CAP_SYS_ADMIN and a tmpfs
 * a mount; neither is available to an unprivileged test run, and the injected writer fills the disk
 * at an exact, repeatable byte.)
 */
function fillableDisk(): SpoolIo & { full: boolean } {
  const disk = {
    full: false,
    append(fd: number, data: Buffer) {
      if (!disk.full) return nodeSpoolIo.append(fd, data);
      nodeSpoolIo.append(fd, data.subarray(0, Math.floor(data.byteLength / 2)));
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    },
    sync: nodeSpoolIo.sync,
  };
  return disk;
}

describe('the disk full', () => {
  let mosquitto: Mosquitto;
  let collector: Collector;
  beforeAll(async () => {
    mosquitto = await startMosquitto();
    collector = await startCollector(mosquitto.url, 'collector-disk-full');
  });
  afterAll(async () => {
    await collector?.stop();
    await mosquitto?.stop();
  });

  it('keeps running, reports it, and loses only what it reports', async () => {
    const siteId = 'disk-full-01';
    const disk = fillableDisk();
    const { agent, cycles } = await buildSite(siteId, mosquitto.url, {}, { io: { spoolIo: disk } });
    const watcher = await mqtt.connectAsync(mosquitto.url, { clientId: 'watch-disk' });
    const statuses: { spoolFault: string | null; droppedSamples: number | null }[] = [];
    watcher.on('message', (_topic, payload) => {
      const status = decodePayload('status', payload);
      if (status.ok) statuses.push(status.value);
    });
    await watcher.subscribeAsync(`pantau/v1/site/${siteId}/status`, { qos: 1 });
    await agent.start();
    await waitFor('connected', () => agent.stats.connected);
    for (let i = 0; i < 10; i++) await cycles.fire();
    disk.full = true;
    for (let i = 0; i < 7; i++) await cycles.fire();
    await waitFor('disk_full reported', () => statuses.find((s) => s.spoolFault === 'disk_full'));
    expect(agent.stats).toMatchObject({ samplesTaken: 17, dropped: 7 });
    disk.full = false;
    for (let i = 0; i < 5; i++) await cycles.fire();
    await waitFor('recovery reported', () => statuses.at(-1)?.spoolFault === null && statuses.length >= 3);
    await waitFor('the rest stored', async () => (await storedSeqs(collector, siteId)).length === 15);
    const stored = await storedSeqs(collector, siteId);
    // Exactly the samples taken while the disk was full are missing, and exactly that many are reported.
    expect(stored).toEqual([...range(0, 9), ...range(17, 21)]);
    expect(statuses.at(-1)?.droppedSamples).toBe(7);
    await agent.stop();
    await watcher.endAsync();
  });
});
