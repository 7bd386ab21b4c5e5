export interface NightWindow {
  /** Local hour the window opens (inclusive). */
  readonly fromHour: number;
  /** Local hour the window closes (exclusive); may be below fromHour to wrap past midnight. */
  readonly toHour: number;
}

/**
 * A node-cron expression (seconds field first) for once a day at one minute inside the window.
 * The minute is drawn once from `random` (a number in [0, 1)), so a fleet of sites spreads its
 * tests over the night instead of all hitting the endpoint at 01:00.
 */
export function nightWindowCron(window: NightWindow, random: () => number): string {
  const hours = (window.toHour - window.fromHour + 24) % 24 || 24;
  const minutes = hours * 60;
  const drawn = Math.min(minutes - 1, Math.max(0, Math.floor(random() * minutes)));
  const minuteOfDay = (window.fromHour * 60 + drawn) % (24 * 60);
  return `0 ${minuteOfDay % 60} ${Math.floor(minuteOfDay / 60)} * * *`;
}
