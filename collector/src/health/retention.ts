import { type Logger, MS_PER_DAY } from '@pantau/shared';
import type { HealthConfig } from './config.js';
import type { HealthHorizon, HealthPruned, HealthRetention } from './ports.js';

/** What is old enough to delete at `nowMs` under `health.retention`. */
export function healthHorizon(retention: HealthConfig['retention'], nowMs: number): HealthHorizon {
  return {
    historyBeforeMs: nowMs - retention.historyDays * MS_PER_DAY,
    outboxBeforeMs: nowMs - retention.outboxDays * MS_PER_DAY,
  };
}

/** One retention run: deletes what is past the horizon and logs what it deleted. */
export async function pruneHealthData(
  store: HealthRetention,
  retention: HealthConfig['retention'],
  nowMs: number,
  log: Logger,
): Promise<HealthPruned> {
  const pruned = await store.pruneHealth(healthHorizon(retention, nowMs));
  if (Object.values(pruned).some((n) => n > 0)) {
    log.info({ event: 'health_pruned', ...pruned }, 'old health history and outbox items deleted');
  }
  return pruned;
}
