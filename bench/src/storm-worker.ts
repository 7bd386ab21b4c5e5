import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { mqttJsConnect, systemClock } from '@pantau/agent';
import { createLogger } from '@pantau/shared';
import { z } from 'zod';
import { createDraw } from './fleet/draw.js';
import { planFleet } from './fleet/site-plan.js';
import { createSiteWorld, defaultWorldOptions } from './fleet/site-world.js';
import { createVirtualSite, type VirtualSite } from './fleet/virtual-site.js';

/**
 * One of bench:storm's worker processes: a slice of the fleet, each site an agent (its real spool,
 * publisher and MQTT connection) opened on a copy of the day's backlog, its uplink down until the
 * coordinator says the outage is over. It reports how many of its sites are online and drained.
 */
const commandSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('open'),
    fromIndex: z.int(),
    toIndex: z.int(),
    seed: z.int(),
    brokerUrl: z.string(),
    dir: z.string(),
    templateDir: z.string(),
    jitter: z.boolean(),
  }),
  z.object({ type: z.literal('start') }),
  z.object({ type: z.literal('uplink') }),
  z.object({ type: z.literal('stop') }),
]);

const send = (message: object) => process.send?.(message);
let sites: VirtualSite[] = [];
let uplinkUp = false;
let progress: NodeJS.Timeout | null = null;

// A coordinator that died leaves no worker behind.
process.on('disconnect', () => process.exit(0));

process.on('message', (raw) => {
  const command = commandSchema.parse(raw);
  void handle(command).catch((error: unknown) => {
    send({ type: 'error', message: (error as Error).stack ?? String(error) });
  });
});

async function handle(command: z.infer<typeof commandSchema>): Promise<void> {
  switch (command.type) {
    case 'open': {
      const plans = planFleet(command.toIndex, command.seed).slice(command.fromIndex);
      const draw = createDraw(command.seed);
      const log = createLogger('pantau-storm', 'error');
      const startMs = Date.now();
      sites = plans.map((plan) => {
        const dataDir = join(command.dir, plan.siteId);
        cpSync(command.templateDir, join(dataDir, 'spool'), { recursive: true });
        return createVirtualSite({
          plan,
          world: createSiteWorld(plan, draw, startMs, defaultWorldOptions),
          draw,
          clock: systemClock,
          dataDir,
          settings: {
            brokerUrl: command.brokerUrl,
            sampleIntervalSec: 60,
            deliveryIntervalSec: 300,
            jitter: command.jitter,
            sampling: false,
            // The fleet came back together: no random wait before the first attempt either way.
            mqtt: { startDelayMaxMs: 0 },
          },
          log,
          mqtt: mqttJsConnect,
          uplink: () => uplinkUp,
        });
      });
      for (const site of sites) await site.open();
      send({ type: 'opened', sites: sites.length, rssBytes: process.memoryUsage().rss });
      return;
    }
    case 'start':
      // The regional outage begins for every site at this moment: their reconnect waits run in step.
      for (const site of sites) await site.agent?.start();
      progress = setInterval(report, 250);
      send({ type: 'started' });
      return;
    case 'uplink':
      uplinkUp = true;
      return;
    case 'stop': {
      if (progress !== null) clearInterval(progress);
      report();
      const agents = sites.map((site) => site.agent);
      await Promise.all(sites.map((site) => site.stop()));
      // What the broker never acknowledged stays in the spools: not sent, so not lost.
      send({ type: 'stopped', undelivered: agents.reduce((sum, agent) => sum + (agent?.stats.spoolDepth ?? 0), 0) });
      process.disconnect();
      return;
    }
  }
}

function report(): void {
  let connected = 0;
  let drained = 0;
  let depth = 0;
  for (const site of sites) {
    const stats = site.agent?.stats;
    if (stats?.connected) connected += 1;
    if (stats?.spoolDepth === 0) drained += 1;
    depth += stats?.spoolDepth ?? 0;
  }
  const cpu = process.cpuUsage();
  send({
    type: 'progress',
    connected,
    drained,
    depth,
    rssBytes: process.memoryUsage().rss,
    cpuMs: (cpu.user + cpu.system) / 1000,
  });
}
