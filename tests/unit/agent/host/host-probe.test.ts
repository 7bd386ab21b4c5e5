import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostInventory } from '@pantau/shared';
import { hostSectionSchema } from '@pantau/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { statfsDisk } from '../../../../agent/src/compose/real-io.js';
import { nodeFileReader } from '../../../../agent/src/host/file-reader.js';
import { dataDiskBytes, inventoryFacts } from '../../../../agent/src/host/sysinfo-inventory.js';
import { createFailureLog } from '../../../../agent/src/probes/failure-log.js';
import { createHostProbe } from '../../../../agent/src/probes/host/host-probe.js';
import { defaultHostHealthPaths, type HostHealthPaths } from '../../../../agent/src/probes/host/host-readers.js';
import { createInventoryJob, type InventoryFacts } from '../../../../agent/src/probes/host/inventory-job.js';
import { FakeClock, silentLogger } from '../../../helpers/fakes.js';
import { makeSysfsTree } from '../../../helpers/sysfs-tree.js';
import { waitFor } from '../../../helpers/wait.js';

const signal = () => new AbortController().signal;

/** /proc/meminfo, /proc/loadavg and the SoC's thermal zone as a Raspberry Pi 4 shows them. */
const PI_TREE = {
  'proc/meminfo':
    'MemTotal:        3884060 kB\nMemFree:          204312 kB\nMemAvailable:    2914220 kB\nBuffers:           80128 kB\n',
  'proc/loadavg': '0.52 0.38 0.31 2/187 4242\n',
  'sys/class/thermal/thermal_zone0/temp': '48686\n',
};

function paths(root: string): HostHealthPaths {
  return {
    meminfo: join(root, 'proc/meminfo'),
    loadavg: join(root, 'proc/loadavg'),
    thermalZoneTemp: join(root, 'sys/class/thermal/thermal_zone0/temp'),
  };
}

function probe(p: HostHealthPaths, disk = statfsDisk, dataDir = '.') {
  const clock = new FakeClock();
  return createHostProbe({
    files: nodeFileReader,
    disk,
    paths: p,
    dataDir,
    clock,
    failures: createFailureLog(silentLogger(), clock),
    inventory: null,
  });
}

describe('host probe', () => {
  let tree: ReturnType<typeof makeSysfsTree> | undefined;
  afterEach(() => {
    tree?.cleanup();
    tree = undefined;
  });

  it('reads temperature, memory, load and disk from a fake /proc and /sys tree', async () => {
    tree = makeSysfsTree(PI_TREE);
    const disk = { space: async () => ({ freeBytes: 21_000_000_000, totalBytes: 31_000_000_000 }) };
    expect(await probe(paths(tree.root), disk).measure(signal())).toEqual({
      cpuTempCelsius: 48.7,
      memAvailableBytes: 2_914_220 * 1024,
      memTotalBytes: 3_884_060 * 1024,
      diskFreeBytes: 21_000_000_000,
      diskTotalBytes: 31_000_000_000,
      load1: 0.52,
      load5: 0.38,
      load15: 0.31,
      error: null,
    });
  });

  it('gives a null temperature, not an error, on a host without a thermal zone', async () => {
    tree = makeSysfsTree({ 'proc/meminfo': PI_TREE['proc/meminfo'], 'proc/loadavg': PI_TREE['proc/loadavg'] });
    expect(await probe(paths(tree.root)).measure(signal())).toMatchObject({ cpuTempCelsius: null, error: null });
  });

  it('reports host_proc_unreadable and host_disk_unreadable, and keeps the other figures', async () => {
    tree = makeSysfsTree({ ...PI_TREE, 'proc/meminfo': 'MemTotal: lots\n' });
    const section = await probe(paths(tree.root)).measure(signal());
    expect(section).toMatchObject({ memAvailableBytes: null, load1: 0.52, cpuTempCelsius: 48.7 });
    expect(section.error).toBe('host_proc_unreadable');
    const broken = { space: async () => Promise.reject(new Error('ENOENT')) };
    tree.write('proc/meminfo', PI_TREE['proc/meminfo']);
    const noDisk = await probe(paths(tree.root), broken).measure(signal());
    expect(noDisk).toMatchObject({ diskFreeBytes: null, memAvailableBytes: 2_914_220 * 1024 });
    expect(noDisk.error).toBe('host_disk_unreadable');
  });

  it("reads this machine's own /proc, /sys and data folder", async () => {
    const section = hostSectionSchema.parse(await probe(defaultHostHealthPaths).measure(signal()));
    const meminfo = readFileSync('/proc/meminfo', 'utf8');
    expect(section.error).toBeNull();
    expect(section.memTotalBytes).toBe(Number(/^MemTotal:\s+(\d+)/m.exec(meminfo)?.[1]) * 1024);
    expect(section.memAvailableBytes).toBeGreaterThan(0);
    expect(section.memAvailableBytes).toBeLessThanOrEqual(section.memTotalBytes ?? 0);
    expect(section.diskFreeBytes).toBeGreaterThan(0);
    expect(section.diskTotalBytes).toBeGreaterThanOrEqual(section.diskFreeBytes ?? 0);
    expect(section.load1).toBeGreaterThanOrEqual(0);
  });
});

describe('host inventory', () => {
  const facts: InventoryFacts = {
    model: 'Raspberry Pi 4 Model B Rev 1.4',
    revision: 'c03114',
    serial: '10000000a1b2c3d4',
    os: 'Debian GNU/Linux 12 (bookworm)',
    kernel: '6.6.31+rpt-rpi-v8',
    dataCardBytes: 31_914_983_424,
  };

  it('takes the inventory a minute after start and again every day, on the monotonic clock', async () => {
    const clock = new FakeClock(1_800_000_000_000, 0);
    const published: HostInventory[] = [];
    let reads = 0;
    const job = createInventoryJob({
      source: {
        read: async () => {
          reads++;
          return facts;
        },
      },
      clock,
      log: silentLogger(),
      agentVersion: '0.1.0',
      nodeVersion: 'v20.19.0',
      publish: (inventory) => published.push(inventory),
    });
    job.start();
    clock.advance(59_999);
    expect(reads).toBe(0);
    clock.advance(1);
    await waitFor('the first inventory', async () => (published.length === 1 ? true : null));
    expect(published[0]).toEqual({ ...facts, node: 'v20.19.0', agentVersion: '0.1.0', takenAtMs: 1_800_000_060_000 });
    clock.advance(24 * 60 * 60_000 - 1);
    expect(reads).toBe(1);
    clock.advance(1);
    await waitFor('the daily inventory', async () => (published.length === 2 ? true : null));
    job.stop();
    clock.advance(48 * 60 * 60_000);
    expect(reads).toBe(2);
  });

  it("reads systeminformation's answers: the Pi's model, revision and serial, the OS, the data card", () => {
    const devices = [
      { name: 'mmcblk0', type: 'disk', mount: '', size: 31_914_983_424 },
      { name: 'mmcblk0p1', type: 'part', mount: '/boot/firmware', size: 536_870_912 },
      { name: 'mmcblk0p2', type: 'part', mount: '/', size: 31_373_918_208 },
      { name: 'sda', type: 'disk', mount: '', size: 64_000_000_000 },
      { name: 'sda1', type: 'part', mount: '/mnt/usb', size: 63_000_000_000 },
    ];
    expect(
      inventoryFacts(
        {
          manufacturer: 'Raspberry Pi Foundation',
          model: 'Raspberry Pi 4 Model B Rev 1.4',
          version: 'c03114',
          serial: '10000000a1b2c3d4',
        },
        { distro: 'Debian GNU/Linux', release: '12', codename: 'bookworm', kernel: '6.6.31+rpt-rpi-v8' },
        devices,
        '/var/lib/pantau',
      ),
    ).toEqual(facts);
    expect(dataDiskBytes(devices, '/mnt/usb/pantau')).toBe(64_000_000_000);
    expect(dataDiskBytes([], '/var/lib/pantau')).toBeNull();
    expect(inventoryFacts({ model: 'Computer' }, {}, [], '/x')).toEqual({
      model: null,
      revision: null,
      serial: null,
      os: null,
      kernel: null,
      dataCardBytes: null,
    });
  });
});
