import type { ClientsSection, Result } from '@pantau/shared';

export type ClientsErrorCode =
  | 'neighbours_unreadable'
  | 'leases_unreadable'
  | 'leases_unparsable'
  | 'snmp_timeout'
  | 'snmp_error'
  | 'snmp_no_such_object';

/** The devices a source sees now: identities (MACs, DHCP client ids) that never leave the probe. */
export interface ClientList {
  readonly ids: readonly string[];
  /** Lines or rows that could not be read and were skipped. */
  readonly skipped: number;
  /** A secondary part that failed while the main one worked (`ip -j neigh` beside the ARP table). */
  readonly partial: string | null;
}

export interface ClientSource {
  readonly kind: NonNullable<ClientsSection['source']>;
  list(signal: AbortSignal): Promise<Result<ClientList, ClientsErrorCode>>;
}

/** A MAC as six colon-separated hex pairs; the all-zero MAC is an unresolved entry, not a device. */
export function normaliseMac(text: string): string | null {
  const mac = text.trim().toLowerCase();
  if (!/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(mac)) return null;
  return mac === '00:00:00:00:00:00' ? null : mac;
}
