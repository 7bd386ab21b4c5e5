import { describe, expect, it } from 'vitest';
import {
  createRouterUptimeSource,
  createUptimeUnwrapper,
  SYS_UPTIME_WRAP_MS,
} from '../../../../agent/src/probes/uptime/router-uptime.js';
import { OID } from '../../../../agent/src/probes/usage/snmp-counters.js';
import { FakeSnmp, fakeTarget } from '../../../helpers/fake-snmp.js';
import { FakeClock } from '../../../helpers/fakes.js';

const DAY_MS = 86_400_000;

describe('router uptime (sysUpTime)', () => {
  it('wraps at 2^32 hundredths of a second, about 497.1 days', () => {
    expect(SYS_UPTIME_WRAP_MS / DAY_MS).toBeCloseTo(497.1, 1);
  });

  it('passes readings through while they grow', () => {
    const unwrap = createUptimeUnwrapper();
    expect(unwrap.next(1000, 0)).toBe(1000);
    expect(unwrap.next(61_000, 60_000)).toBe(61_000);
  });

  it('carries on past a wrap where the wrap would put the reading', () => {
    const unwrap = createUptimeUnwrapper();
    const before = SYS_UPTIME_WRAP_MS - 20_000;
    expect(unwrap.next(before, 0)).toBe(before);
    // One minute later the counter has wrapped and reads 40 s.
    expect(unwrap.next(40_000, 60_000)).toBe(SYS_UPTIME_WRAP_MS + 40_000);
    expect(unwrap.next(100_000, 120_000)).toBe(SYS_UPTIME_WRAP_MS + 100_000);
  });

  it('also across a day without readings (the router unreachable)', () => {
    const unwrap = createUptimeUnwrapper();
    unwrap.next(SYS_UPTIME_WRAP_MS - DAY_MS / 2, 0);
    expect(unwrap.next(DAY_MS / 2 + 30_000, DAY_MS)).toBe(SYS_UPTIME_WRAP_MS + DAY_MS / 2 + 30_000);
  });

  it('starts again after a reboot, wrapped or not', () => {
    const unwrap = createUptimeUnwrapper();
    unwrap.next(SYS_UPTIME_WRAP_MS - 20_000, 0);
    unwrap.next(40_000, 60_000);
    // A reboot: the count falls to 5 s, nowhere near where a second wrap would be.
    expect(unwrap.next(5000, 120_000)).toBe(5000);
    expect(unwrap.next(65_000, 180_000)).toBe(65_000);
  });

  it('reads sysUpTime.0 from the router and unwraps it', async () => {
    const clock = new FakeClock(0, 0);
    const snmp = new FakeSnmp().set(OID.sysUpTime, BigInt(2 ** 32 - 1000));
    const source = createRouterUptimeSource({ client: snmp, target: fakeTarget, clock });
    const signal = new AbortController().signal;
    expect(await source.read(signal)).toEqual({ ok: true, value: (2 ** 32 - 1000) * 10 });
    clock.advance(60_000);
    snmp.set(OID.sysUpTime, 5000n);
    expect(await source.read(signal)).toEqual({ ok: true, value: SYS_UPTIME_WRAP_MS + 50_000 });
    snmp.failWith = 'snmp_timeout';
    expect(await source.read(signal)).toMatchObject({ ok: false, code: 'snmp_timeout' });
  });
});
