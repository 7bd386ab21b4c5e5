import type { PowerValues } from './power-values.js';
import { type PowerDriver, readFailed, round3 } from './power-values.js';
import { findByName, readNumber, type SysfsReader } from './sysfs-reader.js';

export interface IioDriverOptions {
  readonly sysfsRoot: string;
  /** The IIO device's `name` attribute, e.g. `ads1115`. */
  readonly device: string;
  /** Channel holding the battery voltage, e.g. `voltage0` (files `in_voltage0_raw`, `in_voltage0_scale`). */
  readonly batteryChannel: string;
  /** A 12 V battery reaches the ADC through a divider: volts at the battery ÷ volts at the pin. */
  readonly batteryDividerRatio: number;
  readonly panelChannel: string | null;
  readonly panelDividerRatio: number;
}

/**
 * An ADC such as the ADS1115 through the kernel's IIO driver (ABI sysfs-bus-iio): millivolts at the
 * pin are `in_<channel>_raw × in_<channel>_scale`.
 */
export function createIioDriver(sysfs: SysfsReader, options: IioDriverOptions): PowerDriver {
  async function volts(dir: string, channel: string, ratio: number): Promise<number> {
    const raw = await readNumber(sysfs, `${dir}/in_${channel}_raw`);
    const scaleMv = await readNumber(sysfs, `${dir}/in_${channel}_scale`);
    return round3((raw * scaleMv * ratio) / 1000);
  }

  return {
    async read() {
      const classDir = `${options.sysfsRoot}/bus/iio/devices`;
      const dir = await findByName(sysfs, classDir, options.device);
      if (dir === null) return readFailed('sysfs_unreadable', `no IIO device named ${options.device} in ${classDir}`);
      try {
        const values: Partial<PowerValues> = {
          batteryVolts: await volts(dir, options.batteryChannel, options.batteryDividerRatio),
        };
        if (options.panelChannel !== null) {
          values.panelVolts = await volts(dir, options.panelChannel, options.panelDividerRatio);
        }
        return { values, error: null };
      } catch (error) {
        return readFailed('sysfs_unreadable', (error as Error).message);
      }
    },
    stop: async () => {},
  };
}
