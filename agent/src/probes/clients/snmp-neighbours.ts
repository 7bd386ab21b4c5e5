import { ok } from '@pantau/shared';
import type { SnmpClient, SnmpTarget } from '../../snmp/snmp-client.js';
import type { ClientSource } from './client-source.js';

/**
 * IP-MIB neighbour tables (RFC 4293): ipNetToPhysicalPhysAddress, indexed by
 * ifIndex.addressType.addressLength.address, and the older ipNetToMediaPhysAddress, indexed by
 * ifIndex.a.b.c.d, which routers without the newer table still answer.
 */
export const IP_NET_TO_PHYSICAL_PHYS_ADDRESS = '1.3.6.1.2.1.4.35.1.4';
export const IP_NET_TO_MEDIA_PHYS_ADDRESS = '1.3.6.1.2.1.4.22.1.2';

const MAX_ROWS = 4096;

/**
 * Devices in the router's neighbour table (ARP/ND cache), optionally on one LAN ifIndex. Each row's
 * physical address is the identity; its index (which holds the client's IP) is read for the
 * ifIndex and then dropped.
 */
export function createSnmpNeighbourSource(deps: {
  readonly client: SnmpClient;
  readonly target: SnmpTarget;
  readonly lanIfIndex: number | null;
}): ClientSource {
  return {
    kind: 'snmp',
    async list(signal) {
      let rows = await deps.client.walk(deps.target, IP_NET_TO_PHYSICAL_PHYS_ADDRESS, MAX_ROWS, signal);
      let base = IP_NET_TO_PHYSICAL_PHYS_ADDRESS;
      if (!rows.ok && rows.code === 'snmp_timeout') return rows;
      if (!rows.ok || rows.value.length === 0) {
        rows = await deps.client.walk(deps.target, IP_NET_TO_MEDIA_PHYS_ADDRESS, MAX_ROWS, signal);
        base = IP_NET_TO_MEDIA_PHYS_ADDRESS;
        if (!rows.ok) return rows;
      }
      const ids = new Set<string>();
      let skipped = 0;
      for (const row of rows.value) {
        const ifIndex = Number.parseInt(row.oid.slice(base.length + 1).split('.')[0] ?? '', 10);
        if (deps.lanIfIndex !== null && ifIndex !== deps.lanIfIndex) continue;
        if (!(row.value instanceof Uint8Array) || row.value.length === 0) {
          skipped += 1;
          continue;
        }
        if (row.value.every((b) => b === 0)) continue;
        ids.add(Buffer.from(row.value).toString('hex'));
      }
      return ok({ ids: [...ids], skipped, partial: null });
    },
  };
}
