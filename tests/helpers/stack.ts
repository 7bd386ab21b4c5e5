import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Agent, agentConfigSchema, openAgent, realAgentIo } from '@pantau/agent';
import { type Collector, collectorConfigSchema, createCollector, openSqliteStore, type Store } from '@pantau/collector';
import { ManualCycles } from './agent-io.js';
import { ManualScheduler, silentLogger } from './fakes.js';

/** A collector on a temporary SQLite file, against `brokerUrl` or its embedded broker. */
export async function startCollector(
  brokerUrl: string | undefined,
  clientId = 'pantau-collector-test',
  extra: {
    /** Reuse a database, e.g. to restart a collector; a new temporary one when unset. */
    sqlitePath?: string;
    mqtt?: object;
    ingest?: object;
    gaps?: object;
    retention?: object;
    store?: Store;
  } = {},
): Promise<Collector> {
  const dir = mkdtempSync(join(tmpdir(), 'pantau-collector-'));
  const config = collectorConfigSchema.parse({
    mqtt: { ...(brokerUrl === undefined ? {} : { url: brokerUrl }), clientId, reconnectMs: 200, ...extra.mqtt },
    embeddedBroker: { port: 0 },
    store: { sqlitePath: extra.sqlitePath ?? join(dir, 'pantau.sqlite') },
    ingest: { ...extra.ingest },
    gaps: { ...extra.gaps },
    retention: { ...extra.retention },
  });
  const collector = createCollector({
    config,
    store: extra.store ?? openSqliteStore(config.store.sqlitePath),
    log: silentLogger(),
    nowMs: Date.now,
  });
  await collector.start();
  return collector;
}

/**
 * A real agent (real ping, real /proc, real MQTT) whose cycles the test fires by hand, so the
 * test does not wait for the agent's own schedule.
 */
export async function buildAgent(siteId: string, brokerUrl: string): Promise<{ agent: Agent; cycles: ManualCycles }> {
  const config = agentConfigSchema.parse({
    siteId,
    dataDir: mkdtempSync(join(tmpdir(), 'pantau-agent-')),
    mqtt: { url: brokerUrl, backoffMinMs: 100, backoffMaxMs: 1000, startDelayMaxMs: 0 },
    // Deliver every sample: the test fires cycles by hand and waits for each one.
    delivery: { intervalSec: 60 },
    // No gateway detection: tests target loopback only.
    probes: {
      latency: { detectGateway: false, targets: [{ role: 'noc', host: '127.0.0.1', count: 2, timeoutMs: 1000 }] },
    },
  });
  const cycles = new ManualCycles();
  const agent = await openAgent(config, {
    ...realAgentIo(config, silentLogger()),
    cycles,
    calendar: new ManualScheduler(),
    randomId: () => 'random-boot',
  });
  return { agent, cycles };
}
