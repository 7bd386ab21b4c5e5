import { afterEach, describe, expect, it } from 'vitest';
import { createHwmonDriver } from '../../../../agent/src/probes/power/hwmon-driver.js';
import { createIioDriver } from '../../../../agent/src/probes/power/iio-driver.js';
import { nodeSysfsReader } from '../../../../agent/src/probes/power/sysfs-reader.js';
import { makeSysfsTree } from '../../../helpers/sysfs-tree.js';

const never = new AbortController().signal;
const trees: ReturnType<typeof makeSysfsTree>[] = [];
function tree(files: Record<string, string>) {
  const t = makeSysfsTree(files);
  trees.push(t);
  return t;
}
afterEach(() => {
  for (const t of trees.splice(0)) t.cleanup();
});

const hwmonDefaults = {
  chip: 'ina219',
  measures: 'battery' as const,
  voltageChannel: 'in1',
  currentChannel: 'curr1',
  powerChannel: 'power1',
  invertCurrent: false,
};

// An INA219 on the battery line, found by its name although the kernel numbered it hwmon2.
const ina219 = {
  'class/hwmon/hwmon0/name': 'cpu_thermal\n',
  'class/hwmon/hwmon0/temp1_input': '48000\n',
  'class/hwmon/hwmon2/name': 'ina219\n',
  'class/hwmon/hwmon2/in1_input': '12840\n',
  'class/hwmon/hwmon2/curr1_input': '-1530\n',
  'class/hwmon/hwmon2/power1_input': '19645200\n',
};

describe('hwmon driver (INA219/INA226)', () => {
  it('reads bus millivolts and milliamps of the chip named in config', async () => {
    const { root } = tree(ina219);
    const driver = createHwmonDriver(nodeSysfsReader, { sysfsRoot: root, ...hwmonDefaults });
    expect(await driver.read(never)).toEqual({ values: { batteryVolts: 12.84, batteryAmps: -1.53 }, error: null });
  });

  it('inverts a shunt wired the other way round', async () => {
    const { root } = tree(ina219);
    const driver = createHwmonDriver(nodeSysfsReader, { sysfsRoot: root, ...hwmonDefaults, invertCurrent: true });
    expect((await driver.read(never)).values.batteryAmps).toBe(1.53);
  });

  it('reads panel volts and microwatts when the sensor is on the panel line', async () => {
    const { root } = tree({ ...ina219, 'class/hwmon/hwmon2/name': 'ina226\n' });
    const driver = createHwmonDriver(nodeSysfsReader, {
      sysfsRoot: root,
      ...hwmonDefaults,
      chip: 'ina226',
      measures: 'panel',
    });
    expect(await driver.read(never)).toEqual({ values: { panelVolts: 12.84, solarWatts: 19.645 }, error: null });
  });

  it('says sysfs_unreadable for a missing chip, a missing file or a garbage value, and recovers', async () => {
    const t = tree(ina219);
    const missingChip = createHwmonDriver(nodeSysfsReader, { sysfsRoot: t.root, ...hwmonDefaults, chip: 'ina260' });
    expect(await missingChip.read(never)).toMatchObject({ error: 'sysfs_unreadable', values: {} });
    const noTree = createHwmonDriver(nodeSysfsReader, { sysfsRoot: `${t.root}/absent`, ...hwmonDefaults });
    expect(await noTree.read(never)).toMatchObject({ error: 'sysfs_unreadable' });

    const driver = createHwmonDriver(nodeSysfsReader, { sysfsRoot: t.root, ...hwmonDefaults });
    t.remove('class/hwmon/hwmon2/curr1_input');
    expect(await driver.read(never)).toMatchObject({ error: 'sysfs_unreadable', values: {} });
    t.write('class/hwmon/hwmon2/curr1_input', '\u0000\u00ff garbage');
    const garbage = await driver.read(never);
    expect(garbage).toMatchObject({ error: 'sysfs_unreadable' });
    expect(garbage.error !== null && garbage.message).toMatch(/not a number/);
    t.write('class/hwmon/hwmon2/curr1_input', '250\n');
    expect(await driver.read(never)).toEqual({ values: { batteryVolts: 12.84, batteryAmps: 0.25 }, error: null });
  });
});

describe('iio driver (ADS1115)', () => {
  const ads1115 = {
    'bus/iio/devices/iio:device0/name': 'ads1115\n',
    // 4.096 V range: 0.125 mV per count. 8000 counts = 1000 mV at the pin.
    'bus/iio/devices/iio:device0/in_voltage0_raw': '8000\n',
    'bus/iio/devices/iio:device0/in_voltage0_scale': '0.125000000\n',
    'bus/iio/devices/iio:device0/in_voltage1_raw': '12000\n',
    'bus/iio/devices/iio:device0/in_voltage1_scale': '0.125000000\n',
  };
  const options = {
    device: 'ads1115',
    batteryChannel: 'voltage0',
    batteryDividerRatio: 12.84,
    panelChannel: null,
    panelDividerRatio: 1,
  };

  it('multiplies raw by scale and the battery divider ratio', async () => {
    const { root } = tree(ads1115);
    const driver = createIioDriver(nodeSysfsReader, { sysfsRoot: root, ...options });
    expect(await driver.read(never)).toEqual({ values: { batteryVolts: 12.84 }, error: null });
  });

  it('reads a second channel for the panel when configured', async () => {
    const { root } = tree(ads1115);
    const driver = createIioDriver(nodeSysfsReader, {
      sysfsRoot: root,
      ...options,
      panelChannel: 'voltage1',
      panelDividerRatio: 12,
    });
    expect(await driver.read(never)).toEqual({ values: { batteryVolts: 12.84, panelVolts: 18 }, error: null });
  });

  it('says sysfs_unreadable when the device or a channel file is absent', async () => {
    const t = tree(ads1115);
    const wrongDevice = createIioDriver(nodeSysfsReader, { sysfsRoot: t.root, ...options, device: 'ads1015' });
    expect(await wrongDevice.read(never)).toMatchObject({ error: 'sysfs_unreadable' });
    t.remove('bus/iio/devices/iio:device0/in_voltage0_scale');
    const driver = createIioDriver(nodeSysfsReader, { sysfsRoot: t.root, ...options });
    expect(await driver.read(never)).toMatchObject({ error: 'sysfs_unreadable', values: {} });
  });
});
