import { describe, expect, it } from 'vitest';
import { createRateSampler } from '../../../../agent/src/probes/usage/rate-sampler.js';
import { createSnmpCounterSource, OID } from '../../../../agent/src/probes/usage/snmp-counters.js';
import { FakeSnmp, fakeTarget } from '../../../helpers/fake-snmp.js';
import { FakeClock, silentLogger } from '../../../helpers/fakes.js';
import { settle, signal } from './usage-fixture.js';

describe('router reboot', () => {
  it('is a counter reset when sysUpTime goes back, even if the counters look plausible', async () => {
    const snmp = new FakeSnmp()
      .set(OID.sysUpTime, 8_640_000n)
      .set(`${OID.ifHCInOctets}.2`, 1000n)
      .set(`${OID.ifHCOutOctets}.2`, 1000n);
    const clock = new FakeClock();
    const sampler = createRateSampler({
      source: createSnmpCounterSource({ client: snmp, target: fakeTarget, select: { ifIndex: 2, ifName: null } }),
      clock,
      log: silentLogger(),
      options: { counterBits: 64, samplePeriodMs: 60_000, maxBitsPerSec: 1e9 },
    });
    await sampler.take(signal);
    // Rebooted 20 s ago and already moved more than before.
    snmp.set(OID.sysUpTime, 2000n).set(`${OID.ifHCInOctets}.2`, 4000n).set(`${OID.ifHCOutOctets}.2`, 3000n);
    clock.advance(60_000);
    await settle();
    const taken = await sampler.take(signal);
    expect(taken.ok && taken.value).toMatchObject({ rxBytes: 4000, txBytes: 3000, counterReset: true });
    sampler.stop();
  });
});
