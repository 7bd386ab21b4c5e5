import { describe, expect, it } from 'vitest';
import { createSnmpCounterSource, OID, readRouterUptimeMs } from '../../../../agent/src/probes/usage/snmp-counters.js';
import { FakeSnmp, fakeTarget } from '../../../helpers/fake-snmp.js';
import { signal } from './usage-fixture.js';

function router() {
  return new FakeSnmp()
    .set(`${OID.ifDescr}.1`, 'lo')
    .set(`${OID.ifDescr}.2`, 'ether1-wan')
    .set(OID.sysUpTime, 360_000n)
    .set(`${OID.ifHCInOctets}.2`, 5000n)
    .set(`${OID.ifHCOutOctets}.2`, 7000n);
}

describe('SNMP counter source', () => {
  it('finds the interface by ifDescr when ifName has no match, and reads its 64-bit counters', async () => {
    const snmp = router();
    const source = createSnmpCounterSource({
      client: snmp,
      target: fakeTarget,
      select: { ifIndex: null, ifName: 'ether1-wan' },
    });
    expect(await source.read(signal)).toEqual({
      ok: true,
      value: { interface: 'ether1-wan', rxBytes: 5000n, txBytes: 7000n, epoch: null, ownerUptimeMs: 3_600_000 },
    });
    // Looked up once: the next read is a single GET.
    snmp.calls.length = 0;
    await source.read(signal);
    expect(snmp.calls.map((c) => c.kind)).toEqual(['get']);
  });

  it('says snmp_interface_unknown for a name the router does not have', async () => {
    const source = createSnmpCounterSource({
      client: router(),
      target: fakeTarget,
      select: { ifIndex: null, ifName: 'wan9' },
    });
    expect(await source.read(signal)).toMatchObject({ ok: false, code: 'snmp_interface_unknown' });
  });

  it('says snmp_no_such_object for an ifIndex without HC counters', async () => {
    const source = createSnmpCounterSource({
      client: router(),
      target: fakeTarget,
      select: { ifIndex: 7, ifName: null },
    });
    expect(await source.read(signal)).toMatchObject({ ok: false, code: 'snmp_no_such_object' });
  });

  it('passes timeouts and errors on as their codes', async () => {
    const snmp = router();
    const source = createSnmpCounterSource({ client: snmp, target: fakeTarget, select: { ifIndex: 2, ifName: null } });
    snmp.failWith = 'snmp_timeout';
    expect(await source.read(signal)).toMatchObject({ ok: false, code: 'snmp_timeout' });
    snmp.failWith = 'snmp_error';
    expect(await source.read(signal)).toMatchObject({ ok: false, code: 'snmp_error' });
  });

  it('exposes the router uptime for the uptime probe', async () => {
    expect(await readRouterUptimeMs(router(), fakeTarget, signal)).toEqual({ ok: true, value: 3_600_000 });
    const silent = router();
    silent.failWith = 'snmp_timeout';
    expect(await readRouterUptimeMs(silent, fakeTarget, signal)).toMatchObject({ ok: false, code: 'snmp_timeout' });
  });
});
