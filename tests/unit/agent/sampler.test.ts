import { fail } from '@pantau/shared';
import { describe, expect, it } from 'vitest';
import type { AnyProbe } from '../../../agent/src/probes/probe.js';
import { createUptimeProbe } from '../../../agent/src/probes/uptime/uptime-probe.js';
import { createSampler } from '../../../agent/src/sampler.js';
import { captureLogger, FakeClock, fakeHost } from '../../helpers/fakes.js';

function sampler(probes: AnyProbe[], clock = new FakeClock(), host = fakeHost()) {
  let seq = 40;
  return createSampler({
    probes,
    clock,
    host,
    bootId: 'boot-1',
    nextSeq: () => ++seq,
    probeTimeoutMs: 5000,
    agentStartMonotonicMs: 0,
    log: captureLogger().log,
  });
}

describe('sampler', () => {
  it('stamps identity and time, and gives each sample the next sequence number', async () => {
    const clock = new FakeClock(1_795_392_000_000, 1000);
    const s = sampler([], clock);
    const first = await s.take();
    const second = await s.take();
    expect(first).toMatchObject({
      seq: 41,
      bootId: 'boot-1',
      wallMs: 1_795_392_000_000,
      clockSynced: true,
      uptimeMs: 3_600_000,
    });
    expect(second.seq).toBe(42);
  });

  it('includes each probe section under its name', async () => {
    const clock = new FakeClock(0, 5000);
    const uptime = createUptimeProbe({ host: fakeHost(), clock, agentStartMonotonicMs: 2000 });
    const sample = await sampler([uptime], clock).take();
    expect(sample.probes?.uptime).toMatchObject({ systemUptimeMs: 3_600_000, agentUptimeMs: 3000, error: null });
  });

  it('bounds a hung probe: its section says probe_timeout and the sample still comes', async () => {
    const clock = new FakeClock();
    const hung: AnyProbe = { name: 'latency', measure: () => new Promise(() => {}) };
    const taking = sampler([hung], clock).take();
    await Promise.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    clock.advance(5000);
    const sample = await taking;
    expect(sample.probes?.latency).toEqual({ error: 'probe_timeout' });
    expect(clock.pendingTimers).toBe(0);
  });

  it('turns a probe that throws into probe_crashed and logs it', async () => {
    const broken: AnyProbe = {
      name: 'uptime',
      measure: async () => {
        throw new Error('boom');
      },
    };
    const sample = await sampler([broken]).take();
    expect(sample.probes?.uptime).toEqual({ error: 'probe_crashed' });
  });

  it('falls back to time since agent start when /proc/uptime cannot be read', async () => {
    const clock = new FakeClock(0, 9000);
    const host = fakeHost({ uptimeMs: async () => fail('uptime_unreadable', 'gone') });
    const sample = await sampler([], clock, host).take();
    expect(sample.uptimeMs).toBe(9000);
  });
});
