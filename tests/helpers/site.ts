import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Agent,
  type AgentConfig,
  type AgentIo,
  agentConfigSchema,
  nodeSpoolIo,
  openAgent,
  openFileSpool,
  systemClock,
} from '@pantau/agent';
import type { Collector } from '@pantau/collector';
import type { SampleInput } from '@pantau/shared';
import mqtt from 'mqtt';
import { fakeAgentIo, ManualCycles } from './agent-io.js';
import { FakePinger, silentLogger } from './fakes.js';

/**
 * An in-process agent with fake probes' hosts on the real clock (unless the test gives one), whose
 * cycles the test fires by hand, against a real broker.
 */
export async function buildSite(
  siteId: string,
  brokerUrl: string,
  overrides: Record<string, unknown> = {},
  extra: { dataDir?: string; io?: Partial<AgentIo> } = {},
): Promise<{ agent: Agent; cycles: ManualCycles; config: AgentConfig }> {
  const config = agentConfigSchema.parse({
    siteId,
    dataDir: extra.dataDir ?? mkdtempSync(join(tmpdir(), 'pantau-site-')),
    mqtt: { url: brokerUrl, backoffMinMs: 100, backoffMaxMs: 1000, startDelayMaxMs: 0 },
    delivery: { intervalSec: 60 },
    probes: { latency: { targets: [{ role: 'internet', host: '1.1.1.1' }] } },
    ...overrides,
  });
  const cycles = new ManualCycles();
  const agent = await openAgent(
    config,
    fakeAgentIo({
      clock: systemClock,
      pinger: new FakePinger({ '1.1.1.1': { ok: true, sent: 3, rttsMs: [30.1, 31.4, 29.8] } }),
      cycles,
      random: Math.random,
      ...extra.io,
    }),
  );
  return { agent, cycles, config };
}

/** Sequence numbers the collector holds for a site, in order. */
export async function storedSeqs(collector: Collector, siteId: string): Promise<number[]> {
  return (await collector.store.listSamples(siteId)).map((s) => s.seq).sort((a, b) => a - b);
}

/** What a (stopped) agent's spool holds: its samples, sent or not, and its counts. */
export function readSpool(dataDir: string): {
  samples: SampleInput[];
  lastSeq: number;
  dropped: number;
  depth: number;
} {
  const spool = openFileSpool({
    dir: join(dataDir, 'spool'),
    maxSamples: 1_000_000,
    segmentSamples: 1440,
    log: silentLogger(),
    io: nodeSpoolIo,
  });
  try {
    const samples = [...spool.range(0, spool.lastSeq, 1_000_000).samples];
    return { samples, lastSeq: spool.lastSeq, dropped: spool.dropped, depth: spool.depth };
  } finally {
    spool.close();
  }
}

/** Sequence numbers a (stopped) agent's spool holds, and the ones it counts as dropped. */
export function spoolSeqs(dataDir: string): { held: number[]; lastSeq: number; dropped: number; depth: number } {
  const { samples, ...counts } = readSpool(dataDir);
  return { held: samples.map((s) => s.seq), ...counts };
}

export const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Publishes a resend request as the collector would. */
export async function requestResend(brokerUrl: string, siteId: string, fromSeq: number, toSeq: number): Promise<void> {
  const client = await mqtt.connectAsync(brokerUrl, { clientId: `resend-${siteId}-${Date.now()}` });
  const request = { v: 1, requestId: `r-${Date.now()}`, siteId, fromSeq, toSeq, requestedAtMs: Date.now() };
  await client.publishAsync(`pantau/v1/site/${siteId}/resend`, JSON.stringify(request), { qos: 1 });
  await client.endAsync();
}
