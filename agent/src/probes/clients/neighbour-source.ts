import { fail, ok } from '@pantau/shared';
import { z } from 'zod';
import type { CommandRunner } from '../../host/command-runner.js';
import { parseRoutes } from '../../host/default-route.js';
import type { FileReader } from '../../host/file-reader.js';
import { type ClientSource, normaliseMac } from './client-source.js';

export interface NeighbourPaths {
  readonly arpFile: string;
  readonly routeFile: string;
}

export const defaultNeighbourPaths: NeighbourPaths = { arpFile: '/proc/net/arp', routeFile: '/proc/net/route' };

/** Neighbour table rows beyond this are ignored: a LAN of village clients is far smaller. */
const MAX_ROWS = 8192;

/**
 * Parses /proc/net/arp: `IP address  HW type  Flags  HW address  Mask  Device`. Rows with flags 0
 * are incomplete (no answer yet) and are not devices. Addresses in `exclude` (the routers) are left
 * out. The parse keeps MACs only, and only in memory.
 */
export function parseArp(
  text: string,
  lanInterface: string | null,
  exclude: ReadonlySet<string>,
): { macs: string[]; skipped: number } {
  const macs: string[] = [];
  let skipped = 0;
  for (const line of text.split('\n').slice(1, MAX_ROWS + 1)) {
    if (line.trim() === '') continue;
    const [ip, , flags, hw, , device] = line.trim().split(/\s+/);
    const flagBits = flags === undefined ? Number.NaN : Number.parseInt(flags, 16);
    const mac = hw === undefined ? null : normaliseMac(hw);
    if (ip === undefined || device === undefined || Number.isNaN(flagBits) || (mac === null && flagBits !== 0)) {
      skipped += 1;
      continue;
    }
    if (flagBits === 0 || mac === null) continue;
    if (lanInterface !== null && device !== lanInterface) continue;
    if (device === 'lo' || exclude.has(ip)) continue;
    macs.push(mac);
  }
  return { macs, skipped };
}

const ipNeighSchema = z.array(
  z.looseObject({
    dst: z.string().optional(),
    dev: z.string().optional(),
    lladdr: z.string().optional(),
    state: z.array(z.string()).optional(),
  }),
);

/** States of `ip neigh` entries that stand for a device that answered (iproute2 ip-neighbour(8)). */
const LIVE_STATES = new Set(['REACHABLE', 'STALE', 'DELAY', 'PROBE']);

/** Parses `ip -j neigh show` (IPv4 and IPv6 neighbours); entries flagged `router` are left out. */
export function parseIpNeigh(
  json: string,
  lanInterface: string | null,
  exclude: ReadonlySet<string>,
): { macs: string[]; skipped: number } | null {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return null;
  }
  const parsed = ipNeighSchema.safeParse(raw);
  if (!parsed.success) return null;
  const macs: string[] = [];
  let skipped = 0;
  for (const entry of parsed.data.slice(0, MAX_ROWS)) {
    const mac = entry.lladdr === undefined ? null : normaliseMac(entry.lladdr);
    if (mac === null) {
      if (entry.lladdr !== undefined) skipped += 1;
      continue;
    }
    if (!(entry.state ?? []).some((s) => LIVE_STATES.has(s))) continue;
    if (lanInterface !== null && entry.dev !== lanInterface) continue;
    if ('router' in entry || (entry.dst !== undefined && exclude.has(entry.dst))) continue;
    macs.push(mac);
  }
  return { macs, skipped };
}

/**
 * Devices in the Pi's neighbour table: the kernel's ARP table, and with `ipNeigh` also iproute2's
 * view, which adds IPv6-only devices. A device shows up only once the Pi has exchanged packets with
 * it, so this counts clients well when the Pi routes the LAN, and poorly when it sits beside it.
 */
export function createNeighbourSource(deps: {
  readonly files: FileReader;
  readonly paths: NeighbourPaths;
  readonly lanInterface: string | null;
  readonly commands: CommandRunner | null;
  readonly commandTimeoutMs: number;
}): ClientSource {
  const { files, paths } = deps;
  return {
    kind: 'neighbour',
    async list(signal) {
      let arp: string;
      try {
        arp = await files.readText(paths.arpFile);
      } catch (error) {
        return fail('neighbours_unreadable', `cannot read ${paths.arpFile}: ${(error as Error).message}`);
      }
      const routers = await gateways();
      const fromArp = parseArp(arp, deps.lanInterface, routers);
      const ids = new Set(fromArp.macs);
      let skipped = fromArp.skipped;
      let partial: string | null = null;
      if (deps.commands !== null) {
        const out = await deps.commands.run(
          { file: 'ip', args: ['-j', 'neigh', 'show'], timeoutMs: deps.commandTimeoutMs, maxOutputBytes: 1 << 20 },
          signal,
        );
        const parsed = out.ok ? parseIpNeigh(out.value, deps.lanInterface, routers) : null;
        // Without iproute2 the ARP table still counts IPv4 devices; the failure is only reported.
        if (parsed === null) partial = out.ok ? 'ip_neigh_unparsable' : out.code;
        else {
          for (const mac of parsed.macs) ids.add(mac);
          skipped += parsed.skipped;
        }
      }
      return ok({ ids: [...ids], skipped, partial });
    },
  };

  /** The routers' addresses: the gateway is a neighbour but not a client. */
  async function gateways(): Promise<Set<string>> {
    try {
      const routes = parseRoutes(await files.readText(paths.routeFile));
      return new Set(routes.flatMap((r) => (r.gateway === null ? [] : [r.gateway])));
    } catch {
      return new Set();
    }
  }
}
