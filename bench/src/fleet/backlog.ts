import { openFileSpool, type SpoolIo } from '@pantau/agent';
import type { Logger, SampleInput } from '@pantau/shared';
import { createDraw } from './draw.js';
import { powerSection } from './sim-probes.js';
import type { SitePlan } from './site-plan.js';
import { createSiteWorld, defaultWorldOptions } from './site-world.js';
import { MS_PER_MINUTE } from './sun.js';

/**
 * A site's day offline as the agent would have spooled it: one sample a minute, from `fromMs`, with
 * the world's use and battery and an uplink that answered nothing. Written through the agent's own
 * file spool, so the files are in its format.
 */
export async function writeBacklog(options: {
  readonly dir: string;
  readonly plan: SitePlan;
  readonly seed: number;
  readonly fromMs: number;
  readonly samples: number;
  readonly bootId: string;
  readonly io: SpoolIo;
  readonly log: Logger;
}): Promise<void> {
  const { plan } = options;
  const world = createSiteWorld(plan, createDraw(options.seed), options.fromMs, {
    ...defaultWorldOptions,
    outageChancePerDay: 0,
  });
  const spool = openFileSpool({
    dir: options.dir,
    maxSamples: 43_200,
    segmentSamples: 1440,
    log: options.log,
    io: options.io,
  });
  try {
    for (let i = 0; i < options.samples; i += 1) {
      const atMs = options.fromMs + (i + 1) * MS_PER_MINUTE;
      world.advanceTo(atMs);
      const use = world.usage(atMs - MS_PER_MINUTE, atMs);
      const sample: SampleInput = {
        seq: spool.lastSeq + 1,
        bootId: options.bootId,
        wallMs: atMs,
        clockSynced: true,
        uptimeMs: (i + 60) * MS_PER_MINUTE,
        probes: {
          latency: {
            targets: [
              {
                role: 'internet',
                host: '1.1.1.1',
                method: 'icmp',
                sent: 3,
                received: 0,
                lossPct: 100,
                error: 'no_reply',
              },
            ],
          },
          uptime: { systemUptimeMs: (i + 60) * MS_PER_MINUTE, linkUp: false, previousRunClean: true },
          usage: {
            source: 'interface',
            interface: 'eth1',
            intervalMs: MS_PER_MINUTE,
            rxBytes: use.rxBytes,
            txBytes: use.txBytes,
            peakRxBitsPerSec: use.peakRxBitsPerSec,
            peakTxBitsPerSec: use.peakTxBitsPerSec,
          },
          clients: { source: 'dhcp', clientsInterval: use.clients, clientsHour: use.clients },
          power: powerSection(world.power, plan),
        },
      };
      const stored = await spool.append(sample);
      if (!stored.ok) throw new Error(`cannot write the backlog: ${stored.message}`);
    }
  } finally {
    spool.close();
  }
}
