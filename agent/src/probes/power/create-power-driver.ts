import type { Clock } from '../../clock.js';
import type { PowerConfig } from '../../config/power-schema.js';
import { createCommandDriver } from './command-driver.js';
import { createEpeverDriver } from './epever-driver.js';
import { createHwmonDriver } from './hwmon-driver.js';
import { createIioDriver } from './iio-driver.js';
import type { PowerIo } from './power-io.js';
import { type PowerDriver, type PowerErrorCode, readFailed } from './power-values.js';
import { createVeDirectDriver } from './vedirect-driver.js';

/** The driver `probes.power.driver` names, built with its settings. Opens nothing yet. */
export function createPowerDriver(config: PowerConfig, io: PowerIo, clock: Clock): PowerDriver {
  const { sysfsRoot } = config;
  switch (config.driver) {
    case 'hwmon':
      return createHwmonDriver(io.sysfs, { sysfsRoot, ...config.hwmon });
    case 'iio':
      return createIioDriver(io.sysfs, { sysfsRoot, ...config.iio });
    case 'vedirect':
      return createVeDirectDriver(io.serial, clock, config.vedirect);
    case 'epever':
      return createEpeverDriver(io.serial, clock, config.epever);
    case 'command': {
      const { file } = config.command;
      // The config schema refuses an enabled command driver without a file; a disabled one may lack it.
      if (file === undefined) return failingDriver('command_failed', 'probes.power.command.file is not set');
      return createCommandDriver(io.commands, { ...config.command, file });
    }
    case 'none':
      return { read: async () => ({ values: {}, error: null }), stop: async () => {} };
  }
}

function failingDriver(code: PowerErrorCode, message: string): PowerDriver {
  return { read: async () => readFailed(code, message), stop: async () => {} };
}
