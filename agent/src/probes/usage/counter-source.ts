import type { Result } from '@pantau/shared';

/** One reading of a byte counter pair. */
export interface CounterReading {
  /** Interface name or the router's ifName/ifDescr: what the section's `interface` says. */
  readonly interface: string;
  readonly rxBytes: bigint;
  readonly txBytes: bigint;
  /**
   * Changes when the counters' owner restarted: the Pi's boot id, or null when unknown. A change
   * means the counters restarted from zero.
   */
  readonly epoch: string | null;
  /** The owner's uptime (the router's sysUpTime); going backwards means it rebooted. */
  readonly ownerUptimeMs: number | null;
}

export type CounterErrorCode =
  | 'interface_missing'
  | 'no_default_route'
  | 'counters_unreadable'
  | 'snmp_timeout'
  | 'snmp_error'
  | 'snmp_no_such_object'
  | 'snmp_interface_unknown';

/** Where the usage probe's counters come from: the Pi's own interface, or the router over SNMP. */
export interface CounterSource {
  readonly kind: 'interface' | 'snmp';
  read(signal: AbortSignal): Promise<Result<CounterReading, CounterErrorCode>>;
}
