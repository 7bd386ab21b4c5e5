import { ok } from '@pantau/shared';
import { describe, expect, it } from 'vitest';
import type { CounterSource } from '../../../../agent/src/probes/usage/counter-source.js';
import { createRateSampler } from '../../../../agent/src/probes/usage/rate-sampler.js';
import { captureLogger, FakeClock } from '../../../helpers/fakes.js';
import { settle, signal, usageFixture } from './usage-fixture.js';

describe('rate sampler over kernel counters', () => {
  it('gives no figure for the first reading (a baseline), then the bytes of the interval', async () => {
    const f = usageFixture({ samplePeriodMs: 60_000 });
    f.setCounters(1_000_000n, 200_000n);
    expect(await f.sampler.take(signal)).toMatchObject({ ok: false, code: 'no_baseline' });
    f.setCounters(1_600_000n, 260_000n);
    await f.advance(60_000);
    const taken = await f.sampler.take(signal);
    expect(taken).toEqual({
      ok: true,
      value: {
        interface: 'eth1',
        intervalMs: 60_000,
        rxBytes: 600_000,
        txBytes: 60_000,
        // One step over the whole minute: the peak is the average.
        peakRxBitsPerSec: 80_000,
        peakTxBitsPerSec: 8000,
        counterReset: false,
      },
    });
    f.sampler.stop();
  });

  it('reports the highest 5-second rate in the interval as the peak', async () => {
    const f = usageFixture();
    let rx = 0n;
    f.setCounters(rx, 0n);
    await f.sampler.take(signal);
    for (let i = 1; i <= 12; i++) {
      // 10 kB every 5 s, and one burst of 5 MB in the seventh sub-interval.
      rx += i === 7 ? 5_000_000n : 10_000n;
      f.setCounters(rx, 0n);
      await f.advance(5000);
    }
    const taken = await f.sampler.take(signal);
    expect(taken.ok && taken.value).toMatchObject({
      rxBytes: 5_110_000,
      intervalMs: 60_000,
      peakRxBitsPerSec: 8_000_000,
      peakTxBitsPerSec: 0,
      counterReset: false,
    });
    f.sampler.stop();
    expect(f.clock.pendingTimers).toBe(0);
  });

  it('follows a 32-bit counter through its wrap without calling it a reset', async () => {
    const f = usageFixture({ counterBits: 32 });
    const top = 2n ** 32n;
    f.setCounters(top - 3_000_000n, 100n);
    await f.sampler.take(signal);
    f.setCounters(top - 1_000_000n, 200n);
    await f.advance(5000);
    f.setCounters(500_000n, 300n); // wrapped: 1,000,000 + 500,000 bytes in this step
    await f.advance(5000);
    const taken = await f.sampler.take(signal);
    expect(taken.ok && taken.value).toMatchObject({ rxBytes: 3_500_000, txBytes: 200, counterReset: false });
    f.sampler.stop();
  });

  it('marks a counter that went backwards as a reset, with no negative or absurd figure', async () => {
    const f = usageFixture();
    f.setCounters(9_000_000_000n, 5_000_000n);
    await f.sampler.take(signal);
    f.setCounters(9_000_400_000n, 5_000_100n);
    await f.advance(5000);
    f.setCounters(1000n, 2000n); // the driver was reloaded: counters restart from zero
    await f.advance(5000);
    const taken = await f.sampler.take(signal);
    expect(taken.ok && taken.value).toMatchObject({ rxBytes: 401_000, txBytes: 2100, counterReset: true });
    // The next interval is clean again.
    f.setCounters(2000n, 3000n);
    await f.advance(5000);
    const next = await f.sampler.take(signal);
    expect(next.ok && next.value).toMatchObject({ rxBytes: 1000, txBytes: 1000, counterReset: false });
    f.sampler.stop();
  });

  it('treats a new boot id as a reset even when the counters look plausible', async () => {
    const f = usageFixture();
    f.setCounters(5000n, 5000n);
    await f.sampler.take(signal);
    f.tree['/proc/sys/kernel/random/boot_id'] = 'ffffffff-0000-4000-8000-000000000000\n';
    f.setCounters(9000n, 9000n);
    await f.advance(5000);
    const taken = await f.sampler.take(signal);
    expect(taken.ok && taken.value).toMatchObject({ rxBytes: 9000, txBytes: 9000, counterReset: true });
    f.sampler.stop();
  });

  it('fails with interface_missing while the interface is gone, and carries on when it is back', async () => {
    const f = usageFixture({ interface: 'eth1' });
    f.setCounters(100n, 100n);
    await f.sampler.take(signal);
    f.removeInterface();
    await f.advance(60_000);
    expect(await f.sampler.take(signal)).toMatchObject({ ok: false, code: 'interface_missing' });
    f.setCounters(700n, 400n);
    await f.advance(60_000);
    const back = await f.sampler.take(signal);
    // The bytes of both minutes land in the sample that could read them, over both minutes.
    expect(back.ok && back.value).toMatchObject({ rxBytes: 600, txBytes: 300, intervalMs: 120_000 });
    f.sampler.stop();
  });

  it('says counters_unreadable for garbage in a counter file', async () => {
    const f = usageFixture();
    f.setCounters('lots', '12');
    expect(await f.sampler.take(signal)).toMatchObject({ ok: false, code: 'counters_unreadable' });
    f.setCounters('-5', '12');
    expect(await f.sampler.take(signal)).toMatchObject({ ok: false, code: 'counters_unreadable' });
    f.sampler.stop();
  });

  it('uses the default-route interface, and says no_default_route when there is none', async () => {
    const f = usageFixture();
    f.setCounters(1n, 1n, 'eth1');
    await f.sampler.take(signal);
    f.setCounters(11n, 1n, 'eth1');
    await f.advance(1000);
    const taken = await f.sampler.take(signal);
    expect(taken.ok && taken.value.interface).toBe('eth1');
    f.sampler.stop();

    const bare = usageFixture();
    bare.tree['/proc/net/route'] = 'Iface\tDestination\tGateway\n';
    expect(await bare.sampler.take(signal)).toMatchObject({ ok: false, code: 'no_default_route' });
    bare.sampler.stop();
  });

  it('keeps sub-sampling when a read throws (a bug), logging it through the guard', async () => {
    const { log, lines } = captureLogger();
    const clock = new FakeClock();
    let calls = 0;
    const source: CounterSource = {
      kind: 'interface',
      async read() {
        calls += 1;
        if (calls === 2) throw new Error('bug in a source');
        return ok({ interface: 'eth1', rxBytes: BigInt(calls * 1000), txBytes: 0n, epoch: null, ownerUptimeMs: null });
      },
    };
    const sampler = createRateSampler({
      source,
      clock,
      log,
      options: { counterBits: 64, samplePeriodMs: 5000, maxBitsPerSec: 1e9 },
    });
    await sampler.take(signal);
    clock.advance(5000);
    await settle();
    expect(lines).toContainEqual(expect.objectContaining({ event: 'usage_sub_sample', msg: 'background task failed' }));
    expect(clock.pendingTimers).toBe(1);
    clock.advance(5000);
    await settle();
    const taken = await sampler.take(signal);
    expect(taken.ok && taken.value.rxBytes).toBe(3000);
    sampler.stop();
    sampler.stop();
    expect(clock.pendingTimers).toBe(0);
  });
});

describe('rate sampler and the probe timeout', () => {
  it('keeps the bytes of an abandoned sample for the next one', async () => {
    const f = usageFixture({ samplePeriodMs: 60_000 });
    f.setCounters(0n, 0n);
    await f.sampler.take(signal);
    f.setCounters(500n, 50n);
    await f.advance(60_000);
    const controller = new AbortController();
    controller.abort();
    expect(await f.sampler.take(controller.signal)).toMatchObject({ ok: false, code: 'aborted' });
    f.setCounters(800n, 80n);
    await f.advance(60_000);
    const taken = await f.sampler.take(signal);
    expect(taken.ok && taken.value).toMatchObject({ rxBytes: 800, txBytes: 80, intervalMs: 120_000 });
    f.sampler.stop();
  });
});
