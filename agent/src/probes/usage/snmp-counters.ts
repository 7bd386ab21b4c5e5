import { fail, ok, type Result } from '@pantau/shared';
import { lastArc, type SnmpClient, type SnmpErrorCode, type SnmpTarget, snmpText } from '../../snmp/snmp-client.js';
import type { CounterErrorCode, CounterReading, CounterSource } from './counter-source.js';

/** IF-MIB and SNMPv2-MIB objects (RFC 2863, RFC 3418). */
export const OID = {
  sysUpTime: '1.3.6.1.2.1.1.3.0',
  ifDescr: '1.3.6.1.2.1.2.2.1.2',
  ifName: '1.3.6.1.2.1.31.1.1.1.1',
  ifHCInOctets: '1.3.6.1.2.1.31.1.1.1.6',
  ifHCOutOctets: '1.3.6.1.2.1.31.1.1.1.10',
} as const;

/** A router has a few dozen interfaces; the lookup walk stops well beyond that. */
const MAX_INTERFACES = 512;

/**
 * The router's sysUpTime in milliseconds (TimeTicks are hundredths of a second). Exported for the
 * uptime probe's `routerUptimeMs`.
 */
export async function readRouterUptimeMs(
  client: SnmpClient,
  target: SnmpTarget,
  signal: AbortSignal,
): Promise<Result<number, SnmpErrorCode>> {
  const answer = await client.get(target, [OID.sysUpTime], signal);
  if (!answer.ok) return answer;
  const ticks = answer.value[0]?.value;
  if (typeof ticks !== 'bigint') return fail('snmp_error', 'sysUpTime is not a number');
  return ok(Number(ticks) * 10);
}

export interface SnmpInterfaceSelector {
  /** The interface's ifIndex; when null, found by `ifName` (ifName first, then ifDescr). */
  readonly ifIndex: number | null;
  readonly ifName: string | null;
}

/**
 * The router's 64-bit octet counters for one interface (ifHCInOctets is traffic the router
 * received on it: into the site when it is the WAN port), with sysUpTime to see reboots. A named
 * interface is looked up once and again after a reboot or a missing row, as ifIndex may change.
 */
export function createSnmpCounterSource(deps: {
  readonly client: SnmpClient;
  readonly target: SnmpTarget;
  readonly select: SnmpInterfaceSelector;
}): CounterSource {
  const { client, target, select } = deps;
  let resolved: { ifIndex: number; label: string } | null =
    select.ifIndex === null ? null : { ifIndex: select.ifIndex, label: select.ifName ?? `ifIndex ${select.ifIndex}` };
  let lastUptimeMs: number | null = null;

  async function resolve(signal: AbortSignal): Promise<Result<{ ifIndex: number; label: string }, CounterErrorCode>> {
    if (resolved !== null) return ok(resolved);
    const wanted = select.ifName;
    if (wanted === null) return fail('snmp_interface_unknown', 'set probes.usage.snmp.ifIndex or ifName');
    for (const column of [OID.ifName, OID.ifDescr]) {
      const rows = await client.walk(target, column, MAX_INTERFACES, signal);
      if (!rows.ok) return rows;
      const row = rows.value.find((r) => snmpText(r.value) === wanted);
      const ifIndex = row === undefined ? null : lastArc(row.oid);
      if (ifIndex !== null) {
        resolved = { ifIndex, label: wanted };
        return ok(resolved);
      }
    }
    return fail('snmp_interface_unknown', `no interface named ${wanted} in the router's ifName or ifDescr`);
  }

  return {
    kind: 'snmp',
    async read(signal) {
      const which = await resolve(signal);
      if (!which.ok) return which;
      const { ifIndex, label } = which.value;
      const answer = await client.get(
        target,
        [OID.sysUpTime, `${OID.ifHCInOctets}.${ifIndex}`, `${OID.ifHCOutOctets}.${ifIndex}`],
        signal,
      );
      if (!answer.ok) {
        if (answer.code === 'snmp_no_such_object' && select.ifIndex === null) resolved = null;
        return answer;
      }
      const [uptime, rx, tx] = answer.value.map((vb) => vb.value);
      if (typeof uptime !== 'bigint' || typeof rx !== 'bigint' || typeof tx !== 'bigint') {
        return fail('snmp_error', 'the router answered with values that are not counters');
      }
      const ownerUptimeMs = Number(uptime) * 10;
      // After a reboot the router may have renumbered its interfaces: look the name up again.
      if (lastUptimeMs !== null && ownerUptimeMs < lastUptimeMs && select.ifIndex === null) resolved = null;
      lastUptimeMs = ownerUptimeMs;
      const reading: CounterReading = { interface: label, rxBytes: rx, txBytes: tx, epoch: null, ownerUptimeMs };
      return ok(reading);
    },
  };
}
