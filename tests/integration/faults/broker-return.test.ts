import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type AgentProcess, startAgentProcess } from '../../helpers/agent-process.js';
import { type Mosquitto, startMosquitto } from '../../helpers/mosquitto.js';
import { tempDirs } from '../../helpers/temp-dirs.js';
import { waitFor } from '../../helpers/wait.js';

const SITES = 6;
const RECONNECT_WITHIN_MS = 3000;
const temp = tempDirs();
const agents: AgentProcess[] = [];
let mosquitto: Mosquitto | null = null;
afterAll(async () => {
  for (const agent of agents) await agent.kill();
  await mosquitto?.stop();
  temp.removeAll();
});

const connects = (agent: AgentProcess) => agent.lines.filter((l) => l.event === 'connected');

/**
 * Several built agents, a real Mosquitto stopped long enough for their reconnect waits to grow
 * past the bound, then started again: every site must be back within `mqtt.reconnectWithinMs`
 * (plus its handshake), however long the waits had grown while the broker was away.
 */
describe('a broker that comes back after a restart', () => {
  it('sees every site again within reconnectWithinMs', { timeout: 300_000 }, async () => {
    const broker = await startMosquitto();
    mosquitto = broker;
    for (let i = 0; i < SITES; i++) {
      agents.push(
        startAgentProcess({
          PANTAU_SITE_ID: `return-${i}`,
          PANTAU_DATA_DIR: join(temp.make('return'), 'data'),
          PANTAU_MQTT_URL: broker.url,
          PANTAU_MQTT_START_DELAY_MAX_MS: '0',
          PANTAU_MQTT_BACKOFF_MIN_MS: '100',
          PANTAU_MQTT_BACKOFF_MAX_MS: '60000',
          PANTAU_MQTT_RECONNECT_WITHIN_MS: String(RECONNECT_WITHIN_MS),
          PANTAU_LATENCY_TARGETS: '[]',
          PANTAU_LOG_LEVEL: 'info',
        }),
      );
    }
    await waitFor('every site connected', () => agents.every((a) => connects(a).length === 1), 120_000);
    // Away for 25 s: with waits of 0.1 s doubling, uncapped ceilings would reach 26-51 s.
    await broker.halt();
    await waitFor(
      'every site saw it go',
      () => agents.every((a) => a.lines.some((l) => l.event === 'disconnected')),
      60_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 25_000));
    await broker.resume();
    const backAtMs = Date.now();
    await waitFor('every site back', () => agents.every((a) => connects(a).length === 2), 120_000);
    const delaysMs = agents.map((a) => (connects(a)[1]?.time as number) - backAtMs);
    // Storm protection stays: the sites did not all come back in the same instant.
    expect(new Set(delaysMs.map((ms) => Math.round(ms / 100))).size).toBeGreaterThan(1);
    // The bound, plus what a loaded machine adds to a handshake (seconds, with several agents
    // starting on two busy cores).
    expect(Math.max(...delaysMs)).toBeLessThanOrEqual(RECONNECT_WITHIN_MS + 7000);
  });
});
