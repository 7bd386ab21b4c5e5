import { fail, ok, type Result } from '@pantau/shared';
import { defaultRouteInterface } from '../../host/default-route.js';
import type { FileReader } from '../../host/file-reader.js';
import type { CounterErrorCode, CounterReading, CounterSource } from './counter-source.js';

export interface InterfaceCounterPaths {
  /** Linux: /sys/class/net; each interface's counters are in <dir>/<if>/statistics/. */
  readonly sysClassNetDir: string;
  readonly routeFile: string;
  readonly bootIdFile: string;
}

export const defaultInterfaceCounterPaths: InterfaceCounterPaths = {
  sysClassNetDir: '/sys/class/net',
  routeFile: '/proc/net/route',
  bootIdFile: '/proc/sys/kernel/random/boot_id',
};

/** Linux interface names: at most 15 characters, no slash (IFNAMSIZ). Also keeps paths in /sys. */
export const INTERFACE_NAME_PATTERN = /^[A-Za-z0-9_.:@-]{1,15}$/;

/**
 * The Pi's own interface counters, read from sysfs (well under a millisecond; systeminformation's
 * networkStats() spawns a shell for the same numbers). Without a configured interface, the
 * default-route interface is used, looked up again whenever the current one has gone.
 */
export function createInterfaceCounterSource(deps: {
  readonly files: FileReader;
  readonly paths: InterfaceCounterPaths;
  readonly interface: string | null;
}): CounterSource {
  const { files, paths } = deps;
  let detected: string | null = null;

  async function interfaceName(): Promise<Result<string, CounterErrorCode>> {
    if (deps.interface !== null) return ok(deps.interface);
    if (detected !== null) return ok(detected);
    let routes: string;
    try {
      routes = await files.readText(paths.routeFile);
    } catch (error) {
      return fail('no_default_route', `cannot read ${paths.routeFile}: ${(error as Error).message}`);
    }
    const name = defaultRouteInterface(routes);
    if (name === null || !INTERFACE_NAME_PATTERN.test(name)) {
      return fail('no_default_route', `no default route in ${paths.routeFile}; set probes.usage.interface`);
    }
    detected = name;
    return ok(name);
  }

  async function counter(name: string, file: 'rx_bytes' | 'tx_bytes'): Promise<Result<bigint, CounterErrorCode>> {
    const path = `${paths.sysClassNetDir}/${name}/statistics/${file}`;
    let text: string;
    try {
      text = await files.readText(path);
    } catch (error) {
      return fail('interface_missing', `cannot read ${path}: ${(error as Error).message}`);
    }
    const trimmed = text.trim();
    if (!/^\d{1,20}$/.test(trimmed)) return fail('counters_unreadable', `${path} holds an unexpected value`);
    return ok(BigInt(trimmed));
  }

  async function bootId(): Promise<string | null> {
    try {
      return (await files.readText(paths.bootIdFile)).trim() || null;
    } catch {
      return null;
    }
  }

  return {
    kind: 'interface',
    async read() {
      const name = await interfaceName();
      if (!name.ok) return name;
      const [rx, tx, epoch] = await Promise.all([
        counter(name.value, 'rx_bytes'),
        counter(name.value, 'tx_bytes'),
        bootId(),
      ]);
      if (!rx.ok || !tx.ok) {
        // The detected interface may have gone (a USB modem unplugged): look again next time.
        detected = null;
        if (!rx.ok) return rx;
        if (!tx.ok) return tx;
      }
      const reading: CounterReading = {
        interface: name.value,
        rxBytes: rx.value,
        txBytes: tx.value,
        epoch,
        ownerUptimeMs: null,
      };
      return ok(reading);
    },
  };
}
