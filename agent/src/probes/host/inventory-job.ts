import { guard, type HostInventory, type Logger } from '@pantau/shared';
import type { Clock } from '../../clock.js';

/** What systeminformation tells of the host (each null when it cannot tell); the rest is Node's own. */
export interface InventoryFacts {
  readonly model: string | null;
  readonly revision: string | null;
  readonly serial: string | null;
  readonly os: string | null;
  readonly kernel: string | null;
  readonly dataCardBytes: number | null;
}

/** The IO edge: systeminformation in production (it starts processes: once at start, then daily). */
export interface InventorySource {
  read(): Promise<InventoryFacts>;
}

export interface InventoryJob {
  start(): void;
  stop(): void;
}

export const INVENTORY_EVERY_MS = 24 * 60 * 60_000;
/**
 * The first look waits a minute after start: an agent that restarts in a loop (a crash, a failing
 * card) must not start a dozen processes each time, and the first samples go out first.
 */
export const INVENTORY_FIRST_DELAY_MS = 60_000;

/**
 * Takes the inventory a minute after start and then every day (on the monotonic clock), and hands
 * each one to `publish`, which sends it with the birth status when it changed. A failed look is
 * logged and the next day's tries again.
 */
export function createInventoryJob(deps: {
  readonly source: InventorySource;
  readonly clock: Clock;
  readonly log: Logger;
  readonly agentVersion: string;
  readonly nodeVersion: string;
  readonly publish: (inventory: HostInventory) => void;
  readonly everyMs?: number;
}): InventoryJob {
  let cancel: (() => void) | null = null;
  let stopped = false;
  const take = guard(deps.log, 'inventory', async () => {
    const facts = await deps.source.read();
    if (stopped) return;
    deps.publish({
      ...facts,
      node: deps.nodeVersion,
      agentVersion: deps.agentVersion,
      takenAtMs: Math.max(0, Math.round(deps.clock.nowMs())),
    });
  });
  function schedule(afterMs: number): void {
    cancel = deps.clock.setTimer(afterMs, () => {
      void take();
      schedule(deps.everyMs ?? INVENTORY_EVERY_MS);
    });
  }
  return {
    start() {
      if (cancel !== null || stopped) return;
      schedule(INVENTORY_FIRST_DELAY_MS);
    },
    stop() {
      stopped = true;
      cancel?.();
      cancel = null;
    },
  };
}
