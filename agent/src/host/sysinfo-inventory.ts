import { createRequire } from 'node:module';
import type { InventoryFacts, InventorySource } from '../probes/host/inventory-job.js';

/** The parts of systeminformation's answers the inventory reads. */
interface SiSystem {
  readonly manufacturer?: string;
  readonly model?: string;
  readonly version?: string;
  readonly serial?: string;
}
interface SiOsInfo {
  readonly distro?: string;
  readonly release?: string;
  readonly codename?: string;
  readonly kernel?: string;
}
interface SiBlockDevice {
  readonly name?: string;
  readonly type?: string;
  readonly mount?: string;
  readonly size?: number;
}
type SiModule<K extends string, T> = Record<K, () => Promise<T>>;

/**
 * The host's inventory through systeminformation: the Pi's model, revision code and serial (its
 * decoding of /proc/cpuinfo), the OS and kernel, and the size of the disk the data folder is on.
 * These calls start processes (dmesg, cat, lsblk: docs/host.md), so they run at start and daily,
 * never in a sample. Only the three submodules are loaded, when asked, and dropped from the module
 * cache afterwards, so the library holds no memory between two looks.
 */
export function createSysinfoInventory(dataDir: string): InventorySource {
  return {
    async read() {
      const require = createRequire(import.meta.url);
      try {
        const si = {
          system: require('systeminformation/lib/system.js') as SiModule<'system', SiSystem>,
          osinfo: require('systeminformation/lib/osinfo.js') as SiModule<'osInfo', SiOsInfo>,
          filesystem: require('systeminformation/lib/filesystem.js') as SiModule<'blockDevices', SiBlockDevice[]>,
        };
        const [system, os, devices] = await Promise.all([
          si.system.system().catch(() => ({}) as SiSystem),
          si.osinfo.osInfo().catch(() => ({}) as SiOsInfo),
          si.filesystem.blockDevices().catch(() => [] as SiBlockDevice[]),
        ]);
        return inventoryFacts(system, os, devices, dataDir);
      } finally {
        for (const key of Object.keys(require.cache)) {
          if (key.includes('systeminformation')) delete require.cache[key];
        }
      }
    },
  };
}

const text = (value: string | undefined, max: number) => {
  const trimmed = (value ?? '').trim();
  return trimmed === '' || trimmed === 'Computer' || trimmed === '-' ? null : trimmed.slice(0, max);
};

export function inventoryFacts(
  system: SiSystem,
  os: SiOsInfo,
  devices: readonly SiBlockDevice[],
  dataDir: string,
): InventoryFacts {
  const release = [os.distro, os.release].filter((s) => (s ?? '') !== '').join(' ');
  const codename = (os.codename ?? '') === '' ? '' : ` (${os.codename})`;
  return {
    model: text(system.model, 96),
    revision: text(system.version, 32),
    serial: text(system.serial, 64),
    os: text(release === '' ? undefined : `${release}${codename}`, 96),
    kernel: text(os.kernel, 64),
    dataCardBytes: dataDiskBytes(devices, dataDir),
  };
}

/**
 * The size of the whole disk (an SD card: mmcblk0) holding the partition mounted closest above
 * `dataDir`: the disk is the device whose name begins the partition's (mmcblk0p2, sda1).
 */
export function dataDiskBytes(devices: readonly SiBlockDevice[], dataDir: string): number | null {
  const mounted = devices
    .filter((d) => d.mount !== undefined && d.mount !== '' && isUnder(dataDir, d.mount))
    .sort((a, b) => (b.mount?.length ?? 0) - (a.mount?.length ?? 0))[0];
  if (mounted?.name === undefined) return null;
  const partition = mounted.name;
  const disk = devices
    .filter((d) => d.type === 'disk' && d.name !== undefined && partition.startsWith(d.name))
    .sort((a, b) => (b.name?.length ?? 0) - (a.name?.length ?? 0))[0];
  const size = (disk ?? mounted).size;
  return size !== undefined && Number.isSafeInteger(size) && size > 0 ? size : null;
}

function isUnder(path: string, mount: string): boolean {
  return mount === '/' || path === mount || path.startsWith(`${mount}/`);
}
