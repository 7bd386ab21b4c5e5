export interface NightWindow {
  /** Local hour the window opens (inclusive). */
  readonly fromHour: number;
  /** Local hour the window closes (exclusive); may be below fromHour to wrap past midnight. */
  readonly toHour: number;
}

/**
 * The local minute of the day (0-1439) the test runs at, once a day inside the window. The minute
 * is drawn once from `random` (a number in [0, 1)), so a fleet of sites spreads its tests over the
 * night instead of all hitting the endpoint at 01:00.
 */
export function nightWindowMinute(window: NightWindow, random: () => number): number {
  const hours = (window.toHour - window.fromHour + 24) % 24 || 24;
  const minutes = hours * 60;
  const drawn = Math.min(minutes - 1, Math.max(0, Math.floor(random() * minutes)));
  return (window.fromHour * 60 + drawn) % (24 * 60);
}
