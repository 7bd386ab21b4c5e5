/**
 * The node-cron expression (with a seconds field) that fires every `intervalSec` on wall-clock
 * boundaries. The interval has already been checked to divide the minute or the hour.
 */
export function cronForInterval(intervalSec: number): string {
  if (intervalSec < 60) return `*/${intervalSec} * * * * *`;
  if (intervalSec === 60) return '0 * * * * *';
  const minutes = intervalSec / 60;
  return minutes === 60 ? '0 0 * * * *' : `0 */${minutes} * * * *`;
}
