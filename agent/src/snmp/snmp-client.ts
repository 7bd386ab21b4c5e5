import type { Result } from '@pantau/shared';

/** Stable codes for everything that can go wrong talking to an SNMP agent. */
export type SnmpErrorCode = 'snmp_timeout' | 'snmp_error' | 'snmp_no_such_object';

/** An SNMP v2c agent (the site router). */
export interface SnmpTarget {
  readonly host: string;
  readonly port: number;
  readonly community: string;
  /** Bound on one call, walks included; nothing waits longer. */
  readonly timeoutMs: number;
}

/**
 * A value as Pantau sees it: every integer type (Integer, Counter32, Gauge, TimeTicks, Counter64)
 * as a bigint, an OctetString as bytes, an OID or IpAddress as text.
 */
export type SnmpValue = bigint | Uint8Array | string;

export interface SnmpVarbind {
  readonly oid: string;
  readonly value: SnmpValue;
}

/** The IO edge for SNMP: net-snmp in production, a table in unit tests. */
export interface SnmpClient {
  /** One GET; a missing OID fails the call with `snmp_no_such_object`. */
  get(target: SnmpTarget, oids: readonly string[], signal: AbortSignal): Promise<Result<SnmpVarbind[], SnmpErrorCode>>;
  /** The rows under `baseOid`, at most `maxRows` (the rest are not fetched). */
  walk(
    target: SnmpTarget,
    baseOid: string,
    maxRows: number,
    signal: AbortSignal,
  ): Promise<Result<SnmpVarbind[], SnmpErrorCode>>;
}

/** The last arc of an OID: the row index of a single-index table such as ifTable. */
export function lastArc(oid: string): number | null {
  const arc = Number.parseInt(oid.slice(oid.lastIndexOf('.') + 1), 10);
  return Number.isSafeInteger(arc) ? arc : null;
}

export function snmpText(value: SnmpValue): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint') return value.toString();
  return Buffer.from(value).toString('utf8');
}
