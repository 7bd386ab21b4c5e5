import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Agent,
  type AgentConfig,
  agentConfigSchema,
  CLEAN_SHUTDOWN_FILE,
  type Clock,
  composeAgent,
  createCycleScheduler,
  type MqttConnect,
  nodeSpoolIo,
  type SpoolIo,
} from '@pantau/agent';
import { type Logger, ok } from '@pantau/shared';
import { seeded } from '../seeded.js';
import type { Draw } from './draw.js';
import { inertProbeIo } from './inert-io.js';
import { siteClock } from './sim-clock.js';
import { createSimProbes } from './sim-probes.js';
import type { SitePlan } from './site-plan.js';
import type { SiteWorld } from './site-world.js';
import { createSwitchedLink, type SwitchedLink } from './switched-link.js';

/** How every virtual site's agent is set up, besides its identity. */
export interface SiteAgentSettings {
  readonly brokerUrl: string;
  readonly sampleIntervalSec: number;
  readonly deliveryIntervalSec: number;
  /** The reconnect waits' random source: full jitter as the agent draws it, or none (always the ceiling). */
  readonly jitter: boolean;
  /** Further agent config, e.g. the backoff or the keepalive. */
  readonly mqtt?: Record<string, unknown>;
  /** Further delivery config, e.g. how long a stop keeps delivering. */
  readonly delivery?: Record<string, unknown>;
  /** False: the agents take no samples and only deliver what their spools hold (bench:storm). */
  readonly sampling: boolean;
}

export interface VirtualSiteDeps {
  readonly plan: SitePlan;
  readonly world: SiteWorld;
  readonly draw: Draw;
  /** The simulation's time. */
  readonly clock: Clock;
  readonly dataDir: string;
  readonly settings: SiteAgentSettings;
  readonly log: Logger;
  readonly mqtt: MqttConnect;
  /** Whether the site's uplink reaches the broker now (the world's outages, or the storm's). */
  readonly uplink: () => boolean;
}

/** One site: its agent boots when the world powers it, dies with the battery, and loses its uplink in outages. */
export interface VirtualSite {
  readonly plan: SitePlan;
  /** The agent's data folder: its spool, counters and clean-stop marker, kept between boots. */
  readonly dataDir: string;
  /** The running agent, or null while the site has no power. */
  readonly agent: Agent | null;
  /** Opens the agent on the site's data folder (its spool survives between boots) and starts it. */
  boot(): Promise<void>;
  /** Opens the agent without starting it (bench:storm starts a whole fleet at one moment). */
  open(): Promise<Agent>;
  /** The battery ran flat: the connection dies without a goodbye and the run leaves no clean-stop marker. */
  powerCut(): Promise<void>;
  /** The uplink went down (drops the connection) or came back. */
  uplinkChanged(): void;
  /** A clean stop, as `systemctl stop` would do. */
  stop(): Promise<void>;
}

/**
 * Virtual sites share the machine's disk: an fdatasync per sample is each Pi's own cost, not one
 * the simulator should multiply by hundreds.
 */
const unsyncedSpoolIo: SpoolIo = { append: nodeSpoolIo.append, sync: async () => {} };

export function siteAgentConfig(plan: SitePlan, dataDir: string, settings: SiteAgentSettings): AgentConfig {
  return agentConfigSchema.parse({
    siteId: plan.siteId,
    dataDir,
    mqtt: { url: settings.brokerUrl, ...settings.mqtt },
    delivery: { intervalSec: settings.deliveryIntervalSec, ...settings.delivery },
    sample: { intervalSec: settings.sampleIntervalSec },
    log: { level: 'warn' },
  });
}

export function createVirtualSite(deps: VirtualSiteDeps): VirtualSite {
  const { plan, world, draw } = deps;
  let agent: Agent | null = null;
  let powered = false;
  const link: SwitchedLink = createSwitchedLink(deps.mqtt, () => powered && deps.uplink());
  const config = siteAgentConfig(plan, deps.dataDir, deps.settings);
  const log = deps.log.child({ siteId: plan.siteId });

  async function boot(): Promise<void> {
    if (agent !== null) return;
    await (await open()).start();
  }

  async function open(): Promise<Agent> {
    if (agent !== null) return agent;
    powered = true;
    const clock = siteClock(deps.clock, () => world.clockOffsetMs);
    const bootId = simulatedBootId(draw, plan.siteId, world.boots);
    const random = deps.settings.jitter
      ? seeded(Math.floor(draw(plan.siteId, 'random', world.boots) * 2 ** 32))
      : () => 1;
    const opened = await composeAgent(
      config,
      {
        ...inertProbeIo,
        clock,
        log,
        host: {
          bootId: async () => ok(bootId),
          uptimeMs: async () => ok(Math.max(0, Math.round(deps.clock.nowMs() - world.bootAtMs))),
          clockSynced: async () => world.clockSynced,
        },
        cycles: deps.settings.sampling
          ? createCycleScheduler(config.sample.intervalSec * 1000, {
              clock,
              log: log.child({ module: 'cycles' }),
              wallClockTrusted: async () => world.clockSynced,
            })
          : { start: () => () => {} },
        mqtt: link.connect,
        spoolIo: unsyncedSpoolIo,
        random,
        randomId: () => bootId,
      },
      (_config, _io, context) => createSimProbes({ plan, world, draw, simClock: deps.clock, context }),
    );
    agent = opened;
    return opened;
  }

  return {
    plan,
    dataDir: deps.dataDir,
    get agent() {
      return agent;
    },
    boot,
    open,
    async powerCut() {
      powered = false;
      link.cut();
      const dying = agent;
      agent = null;
      if (dying === null) return;
      // The agent has no "die" to call: a stop with the link already dead says nothing to the
      // broker, and removing the marker it leaves makes the next boot read an unclean end.
      await dying.stop();
      rmSync(join(deps.dataDir, CLEAN_SHUTDOWN_FILE), { force: true });
    },
    uplinkChanged() {
      if (!deps.uplink()) link.cut();
    },
    async stop() {
      const running = agent;
      agent = null;
      await running?.stop();
      powered = false;
    },
  };
}

/** A boot id as Linux gives one (a UUID), the same for the same seed, site and boot. */
function simulatedBootId(draw: Draw, siteId: string, boot: number): string {
  const hex = Array.from({ length: 4 }, (_, i) =>
    Math.floor(draw(siteId, 'boot-id', boot, i) * 2 ** 32)
      .toString(16)
      .padStart(8, '0'),
  ).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
