import { type AlertPublisher, createMqttAlertSink } from '@pantau/collector';
import { type Alert, decodePayload } from '@pantau/shared';
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { type Mosquitto, startMosquitto } from '../helpers/mosquitto.js';
import { waitFor } from '../helpers/wait.js';
import { harness, kutimSite, MINUTE, runAgents, SimAgent, SimSite, START_MS } from '../unit/collector/health/sim.js';

/** The publisher the collector will hand the sink: fails at once while disconnected (the outbox retries). */
function publisherOf(client: MqttClient): AlertPublisher {
  return {
    async publish(topic, payload, options) {
      if (!client.connected) throw new Error('not connected');
      await client.publishAsync(topic, payload, options);
    },
  };
}

/** What a NOC tool that subscribes now to one alert topic is handed: its retained message, if any. */
async function retainedAlert(url: string, topic: string): Promise<Alert | null> {
  const tool = await mqtt.connectAsync(url, { clean: true });
  try {
    const first = new Promise<Alert | null>((resolve) => {
      tool.on('message', (_topic, payload, packet) => {
        const decoded = decodePayload('alert', payload);
        resolve(packet.retain && decoded.ok ? decoded.value : null);
      });
    });
    await tool.subscribeAsync(topic, { qos: 1 });
    // A broker sends retained messages right after the SUBACK; none within 2 s means there is none.
    return await Promise.race([first, new Promise<null>((r) => setTimeout(() => r(null), 2000))]);
  } finally {
    await tool.endAsync();
  }
}

describe('retained alert state on a real broker (Mosquitto)', () => {
  let broker: Mosquitto | null = null;
  let client: MqttClient | null = null;
  afterEach(async () => {
    await client?.endAsync(true);
    await broker?.stop();
    client = null;
    broker = null;
  });

  it("a NOC tool subscribing later sees each site's state; a state published while the broker was down follows", async () => {
    broker = await startMosquitto({ persistence: true });
    const b = broker;
    client = await mqtt.connectAsync(b.url, { clientId: 'pantau-collector-alerts', reconnectPeriod: 200 });
    const c = client;
    const h = await harness([kutimSite('kutim-q')], {
      sinks: () => [createMqttAlertSink('pantau/v1', publisherOf(c))],
      config: { delivery: { retryMinMs: 1000, retryMaxMs: 5000 } },
    });
    const agent = new SimAgent(new SimSite('kutim-q', START_MS), START_MS);
    await runAgents(h, [agent], START_MS + 20 * MINUTE);
    agent.powerCut();
    await runAgents(h, [agent], h.now + 20 * MINUTE);
    const firing = await waitFor('the retained firing state', async () => {
      const alert = await retainedAlert(b.url, 'pantau/v1/alert/kutim-q/offline');
      return alert?.state === 'firing' ? alert : null;
    });
    expect([firing.siteId, firing.kind, firing.severity, firing.region?.kecamatan]).toEqual([
      'kutim-q',
      'offline',
      'critical',
      'Sangatta Utara',
    ]);

    // The broker restarts while the site comes back: the resolved state waits in the outbox.
    await b.halt();
    agent.powerOn(h.now);
    await runAgents(h, [agent], h.now + 10 * MINUTE);
    expect(await h.store.waiting('mqtt')).toBeGreaterThan(0);
    await b.resume();
    await waitFor('the client to reconnect', () => c.connected);
    await runAgents(h, [agent], h.now + 5 * MINUTE);
    const resolved = await waitFor('the retained resolved state', async () => {
      const alert = await retainedAlert(b.url, 'pantau/v1/alert/kutim-q/offline');
      return alert?.state === 'resolved' ? alert : null;
    });
    expect(resolved.cause).toBe('power');
    expect(await h.store.waiting('mqtt')).toBe(0);
  });
});
