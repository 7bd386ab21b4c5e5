import { type PowerDriver, readFailed, round3 } from './power-values.js';
import { findByName, readNumber, type SysfsReader } from './sysfs-reader.js';

export interface HwmonDriverOptions {
  /** The sysfs mount, `/sys` on a Pi. */
  readonly sysfsRoot: string;
  /** The hwmon device's `name` attribute: `ina219`, `ina226`. */
  readonly chip: string;
  /** What the sensor's bus voltage and shunt measure: the battery line or the panel line. */
  readonly measures: 'battery' | 'panel';
  readonly voltageChannel: string;
  readonly currentChannel: string;
  readonly powerChannel: string;
  /** A shunt wired the other way round reads charging as negative. */
  readonly invertCurrent: boolean;
}

/**
 * An INA219/INA226 power monitor through the kernel's hwmon driver (Documentation/hwmon/sysfs-interface):
 * `in<N>_input` millivolts, `curr<N>_input` milliamps, `power<N>_input` microwatts.
 */
export function createHwmonDriver(sysfs: SysfsReader, options: HwmonDriverOptions): PowerDriver {
  return {
    async read() {
      const classDir = `${options.sysfsRoot}/class/hwmon`;
      const dir = await findByName(sysfs, classDir, options.chip);
      if (dir === null) return readFailed('sysfs_unreadable', `no hwmon device named ${options.chip} in ${classDir}`);
      try {
        const millivolts = await readNumber(sysfs, `${dir}/${options.voltageChannel}_input`);
        if (options.measures === 'battery') {
          const milliamps = await readNumber(sysfs, `${dir}/${options.currentChannel}_input`);
          // `0 - x` rather than `-x`: a reading of zero must not become -0.
          const amps = round3((options.invertCurrent ? 0 - milliamps : milliamps) / 1000);
          return { values: { batteryVolts: round3(millivolts / 1000), batteryAmps: amps }, error: null };
        }
        const microwatts = await readNumber(sysfs, `${dir}/${options.powerChannel}_input`);
        return { values: { panelVolts: round3(millivolts / 1000), solarWatts: round3(microwatts / 1e6) }, error: null };
      } catch (error) {
        return readFailed('sysfs_unreadable', (error as Error).message);
      }
    },
    stop: async () => {},
  };
}
