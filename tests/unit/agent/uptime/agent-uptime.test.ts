import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agentConfigSchema, nodeSpoolIo, openAgent, openFileSpool } from '@pantau/agent';
import type { SampleInput } from '@pantau/shared';
import { describe, expect, it } from 'vitest';
import { fakeAgentIo } from '../../../helpers/agent-io.js';
import { FakeClock, FakePinger, silentLogger } from '../../../helpers/fakes.js';

function siteConfig(dataDir: string) {
  return agentConfigSchema.parse({
    siteId: 's1',
    dataDir,
    // No broker: the first connection waits (random 0.5 × 1 h) far beyond the minutes this test runs.
    mqtt: { url: 'mqtt://127.0.0.1:1', startDelayMaxMs: 3_600_000 },
    probes: {
      latency: { detectGateway: false, targets: [{ role: 'internet', host: '1.1.1.1' }] },
      usage: { enabled: false },
      clients: { enabled: false },
      power: { enabled: false },
    },
  });
}

/** Runs an agent for `cycles` samples a minute apart on a fake clock; returns what it spooled. */
async function run(dataDir: string, pinger: FakePinger, cycles: number): Promise<SampleInput[]> {
  const clock = new FakeClock();
  const agent = await openAgent(siteConfig(dataDir), fakeAgentIo({ clock, pinger }));
  await agent.start();
  for (let i = 0; i < cycles; i++) {
    await agent.cycle();
    clock.advance(60_000);
  }
  await agent.stop();
  const spool = openFileSpool({
    dir: join(dataDir, 'spool'),
    maxSamples: 100,
    segmentSamples: 10,
    log: silentLogger(),
    io: nodeSpoolIo,
  });
  const samples = spool.unsent('oldest', 100);
  spool.close();
  return [...samples];
}

describe('uptime section in the running agent', () => {
  it("reports the link from the last cycle's internet targets, and whether the last run ended cleanly", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pantau-uptime-'));
    const up = new FakePinger({ '1.1.1.1': { ok: true, sent: 3, rttsMs: [600, 610, 620] } });
    const first = await run(dataDir, up, 3);
    expect(first.map((s) => s.probes?.uptime)).toMatchObject([
      // Nothing measured yet, and no broker in this test.
      { linkUp: null, linkUptimeMs: null, previousRunClean: false },
      { linkUp: true, linkUptimeMs: 60_000, previousRunClean: false },
      { linkUp: true, linkUptimeMs: 120_000, previousRunClean: false },
    ]);

    // The first run stopped cleanly; the second loses the link after its first sample.
    const down = new FakePinger({});
    const second = await run(dataDir, down, 3);
    // The spool still holds the first run's samples (no broker took them): the last three are new.
    expect(second).toHaveLength(6);
    expect(second.slice(-3).map((s) => s.probes?.uptime)).toMatchObject([
      { linkUp: null, previousRunClean: true },
      // host_unresolved from every internet target: the users' DNS fails too.
      { linkUp: false, linkUptimeMs: 60_000, previousRunClean: true },
      { linkUp: false, linkUptimeMs: 120_000, previousRunClean: true },
    ]);
  });
});
