import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentProcess, startAgentProcess } from '../../helpers/agent-process.js';
import { type Mosquitto, startMosquitto } from '../../helpers/mosquitto.js';
import { tempDirs } from '../../helpers/temp-dirs.js';

const temp = tempDirs();
let mosquitto: Mosquitto;
const agents: AgentProcess[] = [];

describe('SIGTERM to a running agent', () => {
  beforeAll(async () => {
    mosquitto = await startMosquitto();
  });
  afterAll(async () => {
    for (const agent of agents) await agent.kill();
    await mosquitto?.stop();
    temp.removeAll();
  });

  it('says goodbye, logs "stopped" and exits at once, with code 0', { timeout: 60_000 }, async () => {
    const agent = startAgentProcess({
      PANTAU_SITE_ID: 'stop-01',
      PANTAU_DATA_DIR: join(temp.make('stop'), 'data'),
      PANTAU_MQTT_URL: mosquitto.url,
      PANTAU_MQTT_START_DELAY_MAX_MS: '0',
      PANTAU_SAMPLE_INTERVAL_SEC: '1',
      PANTAU_DELIVERY_INTERVAL_SEC: '1',
      PANTAU_LATENCY_TARGETS: '[]',
      PANTAU_LOG_LEVEL: 'info',
    });
    agents.push(agent);
    await agent.waitForEvent('connected');
    // Past a delivery, so the stop flushes a connected agent as in the field.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    agent.child.kill('SIGTERM');
    const exit = await agent.exited;
    expect(exit.code).toBe(0);
    const stopped = agent.lines.find((l) => l.event === 'stopped');
    expect(stopped).toBeDefined();
    // Nothing left holding the process once stopped: it ends within moments, not seconds.
    expect(exit.atMs - (stopped?.time as number)).toBeLessThan(2000);
  });
});
