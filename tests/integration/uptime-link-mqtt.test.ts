import { join } from 'node:path';
import { nodeSpoolIo, openFileSpool } from '@pantau/agent';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../helpers/fakes.js';
import { type Mosquitto, startMosquitto } from '../helpers/mosquitto.js';
import { buildSite } from '../helpers/site.js';
import { waitFor } from '../helpers/wait.js';

/** Without internet/noc latency targets, the link state follows the real MQTT connection. */
describe('link state from the MQTT connection', () => {
  let mosquitto: Mosquitto;
  beforeAll(async () => {
    mosquitto = await startMosquitto();
  });
  afterAll(() => mosquitto?.stop());

  it('is up while connected, down once the connection is lost, up again when it comes back', async () => {
    const { agent, cycles, config } = await buildSite('link-mqtt-01', mosquitto.url, {
      probes: { latency: { enabled: false }, usage: { enabled: false }, clients: { enabled: false } },
    });
    await agent.start();
    try {
      // The link state hears of a connection once the birth message is out, a moment after it is up.
      await waitFor('the connection', () => agent.stats.link.up === true);
      await cycles.fire();
      await mosquitto.halt();
      await waitFor('the lost connection', () => agent.stats.link.up === false);
      await cycles.fire();
      await mosquitto.resume();
      await waitFor('the connection again', () => agent.stats.link.up === true);
      await cycles.fire();
    } finally {
      await agent.stop();
    }
    const spool = openFileSpool({
      dir: join(config.dataDir, 'spool'),
      maxSamples: 100,
      segmentSamples: 10,
      log: silentLogger(),
      io: nodeSpoolIo,
    });
    const uptimes = spool.range(0, 100, 100).samples.map((s) => s.probes?.uptime);
    spool.close();
    expect(uptimes).toMatchObject([{ linkUp: true }, { linkUp: false }, { linkUp: true }]);
    // The third sample counts from the reconnection, after the first sample was taken.
    const [first, , third] = uptimes;
    expect(third?.linkUptimeMs).toBeLessThan((third?.agentUptimeMs ?? 0) - (first?.agentUptimeMs ?? 0));
  });
});
