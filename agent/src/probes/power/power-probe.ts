import { resolve } from 'node:path';
import type { Logger } from '@pantau/shared';
import type { Clock } from '../../clock.js';
import type { PowerConfig } from '../../config/power-schema.js';
import { createFailureLog } from '../failure-log.js';
import type { Probe } from '../probe.js';
import { createPowerDriver } from './create-power-driver.js';
import type { PowerIo } from './power-io.js';
import { emptyPowerValues, type PowerDriver, type PowerReadOutcome } from './power-values.js';
import { createThrottledReader, noThrottledValues } from './throttled.js';

export interface PowerProbeDeps {
  readonly config: PowerConfig;
  readonly io: PowerIo;
  readonly clock: Clock;
  readonly log: Logger;
  /** Built from the config when not given (tests pass one directly). */
  readonly driver?: PowerDriver;
}

/**
 * The site's battery and panel from the configured driver, and the Pi's supply flags beside them.
 * A failed read is a section with null figures and the driver's code; the probe bounds itself in
 * time (its own timeout and the sampler's signal), so it can never hold up the cycle.
 */
export function createPowerProbe(deps: PowerProbeDeps): Probe<'power'> & { stop(): Promise<void> } {
  const { config, clock } = deps;
  const driver = deps.driver ?? createPowerDriver(config, deps.io, clock);
  const throttled = createThrottledReader(deps.io.sysfs, deps.io.commands, {
    ...config.throttled,
    file: resolve(config.sysfsRoot, config.throttled.file),
  });
  const failures = createFailureLog(deps.log.child({ driver: config.driver }), clock, config.errorLogIntervalMs);

  /** The driver's read, or `probe_timeout` when it overruns `timeoutMs` or the sampler gives up. */
  function boundedRead(signal: AbortSignal): Promise<PowerReadOutcome> {
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) controller.abort();
    let cancelTimer = () => {};
    const timedOut = new Promise<PowerReadOutcome>((settle) => {
      const giveUp = () =>
        settle({ values: {}, error: 'probe_timeout', message: `power read took over ${config.timeoutMs} ms` });
      cancelTimer = clock.setTimer(config.timeoutMs, () => {
        controller.abort();
        giveUp();
      });
      controller.signal.addEventListener('abort', giveUp, { once: true });
    });
    return Promise.race([driver.read(controller.signal), timedOut]).finally(() => {
      cancelTimer();
      signal.removeEventListener('abort', onAbort);
    });
  }

  return {
    name: 'power',
    async measure(signal) {
      const [outcome, flags] = await Promise.all([
        boundedRead(signal),
        throttled.read(signal).catch(() => noThrottledValues),
      ]);
      if (outcome.error === null) failures.succeeded();
      else failures.failed(outcome.error, outcome.message);
      return { source: config.driver, ...emptyPowerValues(), ...outcome.values, ...flags, error: outcome.error };
    },
    stop: () => driver.stop(),
  };
}
