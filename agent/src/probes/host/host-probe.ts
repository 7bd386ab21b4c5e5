import type { Clock } from '../../clock.js';
import type { FileReader } from '../../host/file-reader.js';
import type { FailureLog } from '../failure-log.js';
import type { Probe } from '../probe.js';
import {
  type DiskStats,
  type HostErrorCode,
  type HostHealthPaths,
  readLoad,
  readMemory,
  readTemperature,
} from './host-readers.js';
import type { InventoryJob } from './inventory-job.js';

/**
 * The Pi's own health every sample: SoC temperature, memory available, free space where the spool
 * lives, load. Every figure is a file read or statfs(2): no process is started in a sample (the
 * systeminformation calls that give the same figures start several; docs/host.md). The inventory
 * (model, OS, serial, card size) is the job's, at start and daily, and goes in the birth status.
 */
export function createHostProbe(deps: {
  readonly files: FileReader;
  readonly disk: DiskStats;
  readonly paths: HostHealthPaths;
  readonly dataDir: string;
  readonly clock: Clock;
  readonly failures: FailureLog;
  readonly inventory: InventoryJob | null;
}): Probe<'host'> {
  return {
    name: 'host',
    async measure() {
      const [memory, load, cpuTempCelsius, disk] = await Promise.all([
        readMemory(deps.files, deps.paths.meminfo),
        readLoad(deps.files, deps.paths.loadavg),
        readTemperature(deps.files, deps.paths.thermalZoneTemp),
        deps.disk.space(deps.dataDir).then(
          (space) => ({ ok: true as const, value: space }),
          (error: Error) => ({
            ok: false as const,
            code: 'host_disk_unreadable' as HostErrorCode,
            message: `statfs ${deps.dataDir}: ${error.message}`,
          }),
        ),
      ]);
      const failure = [memory, load, disk].find((r) => !r.ok);
      if (failure !== undefined && !failure.ok) deps.failures.failed(failure.code, failure.message);
      else deps.failures.succeeded();
      return {
        cpuTempCelsius,
        memAvailableBytes: memory.ok ? memory.value.availableBytes : null,
        memTotalBytes: memory.ok ? memory.value.totalBytes : null,
        diskFreeBytes: disk.ok ? disk.value.freeBytes : null,
        diskTotalBytes: disk.ok ? disk.value.totalBytes : null,
        load1: load.ok ? load.value[0] : null,
        load5: load.ok ? load.value[1] : null,
        load15: load.ok ? load.value[2] : null,
        error: failure !== undefined && !failure.ok ? failure.code : null,
      };
    },
    start() {
      deps.inventory?.start();
    },
    async stop() {
      deps.inventory?.stop();
    },
  };
}
