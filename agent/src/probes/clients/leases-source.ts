import { fail, ok } from '@pantau/shared';
import type { Clock } from '../../clock.js';
import type { FileReader } from '../../host/file-reader.js';
import { type ClientSource, normaliseMac } from './client-source.js';

export const DEFAULT_LEASES_FILE = '/var/lib/misc/dnsmasq.leases';

/** A lease file larger than this is not a village LAN's; only its start is read. */
const MAX_LINES = 8192;

/**
 * Parses a dnsmasq leases file. Each IPv4 lease is `expiry mac ip hostname clientid` (expiry in
 * epoch seconds, 0 = infinite); a `duid ...` line starts the DHCPv6 leases, whose second field is
 * an IAID, so they are identified by their client id. Expired leases are skipped; lines of any
 * other shape are counted as skipped.
 */
export function parseLeases(text: string, nowMs: number): { ids: string[]; valid: number; skipped: number } {
  const ids = new Set<string>();
  let valid = 0;
  let skipped = 0;
  for (const line of text.split('\n').slice(0, MAX_LINES)) {
    const fields = line.trim().split(/\s+/);
    if (fields[0] === '' || fields[0] === 'duid') continue;
    const [expiry, hw, , , clientId] = fields;
    if (fields.length !== 5 || expiry === undefined || !/^\d{1,12}$/.test(expiry)) {
      skipped += 1;
      continue;
    }
    const mac = hw === undefined ? null : normaliseMac(hw);
    const id = mac ?? (clientId !== undefined && clientId !== '*' ? `client-id ${clientId}` : null);
    if (id === null) {
      skipped += 1;
      continue;
    }
    valid += 1;
    const expiryMs = Number(expiry) * 1000;
    if (expiryMs !== 0 && expiryMs <= nowMs) continue;
    ids.add(id);
  }
  return { ids: [...ids], valid, skipped };
}

/**
 * Devices holding a DHCP lease from dnsmasq on the Pi (or a router whose leases file is mounted).
 * A lease lasts hours, so this counts devices that joined recently, not only those active now.
 */
export function createLeasesSource(deps: {
  readonly files: FileReader;
  readonly clock: Clock;
  readonly leasesFile: string;
}): ClientSource {
  return {
    kind: 'dhcp',
    async list() {
      let text: string;
      try {
        text = await deps.files.readText(deps.leasesFile);
      } catch (error) {
        return fail('leases_unreadable', `cannot read ${deps.leasesFile}: ${(error as Error).message}`);
      }
      const leases = parseLeases(text, deps.clock.nowMs());
      if (leases.valid === 0 && leases.skipped > 0) {
        return fail('leases_unparsable', `${deps.leasesFile} has ${leases.skipped} lines and none is a lease`);
      }
      return ok({ ids: leases.ids, skipped: leases.skipped, partial: null });
    },
  };
}
