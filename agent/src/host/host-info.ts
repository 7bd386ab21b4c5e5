import { fail, ok, type Result } from '@pantau/shared';
import type { FileReader } from './file-reader.js';

/** Linux facts the sampler stamps on every sample. */
export interface HostInfo {
  /** Changes at every boot (Linux: /proc/sys/kernel/random/boot_id). */
  bootId(): Promise<Result<string, 'boot_id_unreadable'>>;
  /** Time since boot (Linux: first field of /proc/uptime, in seconds). */
  uptimeMs(): Promise<Result<number, 'uptime_unreadable'>>;
  /** Whether NTP has synchronised the clock (systemd-timesyncd's marker file). */
  clockSynced(): Promise<boolean>;
}

export interface LinuxHostPaths {
  readonly bootIdFile: string;
  readonly uptimeFile: string;
  readonly clockSyncedFile: string;
}

export const defaultHostPaths: LinuxHostPaths = {
  bootIdFile: '/proc/sys/kernel/random/boot_id',
  uptimeFile: '/proc/uptime',
  clockSyncedFile: '/run/systemd/timesync/synchronized',
};

export function createLinuxHostInfo(files: FileReader, paths: LinuxHostPaths): HostInfo {
  return {
    async bootId() {
      try {
        const id = (await files.readText(paths.bootIdFile)).trim();
        if (/^[A-Za-z0-9-]{1,64}$/.test(id)) return ok(id);
        return fail('boot_id_unreadable', `${paths.bootIdFile} holds an unexpected value`);
      } catch (error) {
        return fail('boot_id_unreadable', `cannot read ${paths.bootIdFile}: ${(error as Error).message}`);
      }
    },
    async uptimeMs() {
      try {
        const seconds = Number.parseFloat((await files.readText(paths.uptimeFile)).split(' ')[0] ?? '');
        if (Number.isFinite(seconds) && seconds >= 0) return ok(Math.round(seconds * 1000));
        return fail('uptime_unreadable', `${paths.uptimeFile} holds an unexpected value`);
      } catch (error) {
        return fail('uptime_unreadable', `cannot read ${paths.uptimeFile}: ${(error as Error).message}`);
      }
    },
    clockSynced: () => files.exists(paths.clockSyncedFile),
  };
}
