import { join } from 'node:path';
import type { Clock, MqttConnect } from '@pantau/agent';
import { guard, type Logger } from '@pantau/shared';
import { createDraw } from './draw.js';
import type { SitePlan } from './site-plan.js';
import { createSiteWorld, type SiteWorld, type WorldEvent, type WorldOptions } from './site-world.js';
import { createVirtualSite, type SiteAgentSettings, type VirtualSite } from './virtual-site.js';

export interface FleetOptions {
  readonly plans: readonly SitePlan[];
  readonly seed: number;
  /** Each site's data folder is `<dir>/<site id>`. */
  readonly dir: string;
  readonly settings: SiteAgentSettings;
  readonly world: WorldOptions;
}

export interface FleetDeps {
  /** The simulation's time (scaled for `--speed`). */
  readonly clock: Clock;
  readonly log: Logger;
  readonly mqtt: MqttConnect;
}

export interface FleetStatus {
  readonly sites: number;
  readonly powered: number;
  readonly uplinkUp: number;
  readonly connected: number;
  readonly samplesTaken: number;
  readonly spoolDepth: number;
  readonly powerCuts: number;
  readonly outages: number;
}

export interface Fleet {
  /** Boots every site that has power now and starts moving the world on. */
  start(): Promise<void>;
  /** Moves every site's world to now and acts on what changed; the fleet's timer calls it. */
  tick(): Promise<void>;
  /** Stops moving the world: every site gets power and its uplink back and keeps running. */
  calm(): Promise<void>;
  status(): FleetStatus;
  readonly sites: readonly VirtualSite[];
  /** Stops every site cleanly. */
  stop(): Promise<void>;
}

export function createFleet(options: FleetOptions, deps: FleetDeps): Fleet {
  const draw = createDraw(options.seed);
  const startMs = deps.clock.nowMs();
  const members = options.plans.map((plan) => {
    const world = createSiteWorld(plan, draw, startMs, options.world);
    const site = createVirtualSite({
      plan,
      world,
      draw,
      clock: deps.clock,
      dataDir: join(options.dir, plan.siteId),
      settings: options.settings,
      log: deps.log,
      mqtt: deps.mqtt,
      uplink: () => world.uplinkUp,
    });
    // One change at a time per site: a boot finishes before the power cut that follows it.
    return { world, site, queue: Promise.resolve() };
  });
  let calm = false;
  let stopped = false;
  let powerCuts = 0;
  let outages = 0;
  let cancelTimer = () => {};

  function act(member: { world: SiteWorld; site: VirtualSite; queue: Promise<void> }, event: WorldEvent): void {
    if (event === 'power_off') powerCuts += 1;
    if (event === 'uplink_down') outages += 1;
    member.queue = member.queue.then(async () => {
      if (stopped) return;
      if (event === 'power_off') await member.site.powerCut();
      else if (event === 'power_on') await member.site.boot();
      else member.site.uplinkChanged();
    });
  }

  const tick = async () => {
    if (calm || stopped) return;
    const nowMs = deps.clock.nowMs();
    for (const member of members) for (const event of member.world.advanceTo(nowMs)) act(member, event);
  };

  function schedule(): void {
    if (stopped) return;
    cancelTimer = deps.clock.setTimer(30_000, () => {
      void guard(deps.log, 'fleet_tick', tick)().finally(schedule);
    });
  }

  return {
    sites: members.map((m) => m.site),
    async start() {
      for (const member of members) if (member.world.powered) act(member, 'power_on');
      await Promise.all(members.map((m) => m.queue));
      schedule();
    },
    tick,
    async calm() {
      calm = true;
      for (const member of members) {
        member.queue = member.queue.then(async () => {
          if (stopped) return;
          member.world.calm(deps.clock.nowMs());
          await member.site.boot();
          member.site.uplinkChanged();
        });
      }
      await Promise.all(members.map((m) => m.queue));
    },
    status() {
      let powered = 0;
      let uplinkUp = 0;
      let connected = 0;
      let samplesTaken = 0;
      let spoolDepth = 0;
      for (const { world, site } of members) {
        if (world.powered) powered += 1;
        if (world.uplinkUp) uplinkUp += 1;
        const stats = site.agent?.stats;
        if (stats?.connected) connected += 1;
        samplesTaken += stats?.samplesTaken ?? 0;
        spoolDepth += stats?.spoolDepth ?? 0;
      }
      return { sites: members.length, powered, uplinkUp, connected, samplesTaken, spoolDepth, powerCuts, outages };
    },
    async stop() {
      stopped = true;
      cancelTimer();
      await Promise.all(members.map((m) => m.queue));
      await Promise.all(members.map((m) => m.site.stop()));
    },
  };
}
