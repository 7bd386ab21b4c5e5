import { describe, expect, it } from 'vitest';
import { createLinkState } from '../../../../agent/src/probes/uptime/link-state.js';
import { FakeClock } from '../../../helpers/fakes.js';

const answered = { role: 'internet' as const, sent: 3, received: 2, error: null };
const silent = { role: 'internet' as const, sent: 3, received: 0, error: 'no_reply' };

describe('link state', () => {
  it('is unknown until a target beyond the LAN is measured or MQTT connects', () => {
    const link = createLinkState(new FakeClock(0, 0));
    link.observeLatency(undefined);
    link.observeLatency({ targets: [{ role: 'gateway', sent: 3, received: 3, error: null }] });
    link.mqttLost();
    expect(link.snapshot()).toEqual({ up: null, forMs: null });
  });

  it('counts how long the state has held, from each change', () => {
    const clock = new FakeClock(0, 0);
    const link = createLinkState(clock);
    link.observeLatency({ targets: [answered] });
    clock.advance(60_000);
    link.observeLatency({ targets: [answered] });
    clock.advance(60_000);
    expect(link.snapshot()).toEqual({ up: true, forMs: 120_000 });
    link.observeLatency({ targets: [silent] });
    clock.advance(30_000);
    expect(link.snapshot()).toEqual({ up: false, forMs: 30_000 });
  });

  it('is up when any internet or noc target answered, a TCP refusal included', () => {
    const link = createLinkState(new FakeClock(0, 0));
    link.observeLatency({ targets: [silent, { role: 'noc', sent: 2, received: 0, error: 'tcp_refused' }] });
    expect(link.snapshot().up).toBe(true);
    link.observeLatency({ targets: [silent, { role: 'noc', sent: null, received: null, error: 'host_unresolved' }] });
    expect(link.snapshot().up).toBe(false);
  });

  it('takes nothing from targets that could not be measured or were not due', () => {
    const clock = new FakeClock(0, 0);
    const link = createLinkState(clock);
    link.observeLatency({ targets: [answered] });
    clock.advance(10_000);
    link.observeLatency({ targets: [{ role: 'internet', sent: null, received: null, error: 'ping_missing' }] });
    link.observeLatency({ targets: [] });
    expect(link.snapshot()).toEqual({ up: true, forMs: 10_000 });
  });

  it('without internet targets, follows the MQTT connection', () => {
    const clock = new FakeClock(0, 0);
    const link = createLinkState(clock);
    link.mqttConnected();
    clock.advance(5000);
    expect(link.snapshot()).toEqual({ up: true, forMs: 5000 });
    link.mqttLost();
    clock.advance(1000);
    expect(link.snapshot()).toEqual({ up: false, forMs: 1000 });
  });

  it('with internet targets, a lost broker is not a lost link, but a new connection proves the link', () => {
    const clock = new FakeClock(0, 0);
    const link = createLinkState(clock);
    link.observeLatency({ targets: [answered] });
    link.mqttLost();
    expect(link.snapshot().up).toBe(true);
    link.observeLatency({ targets: [silent] });
    clock.advance(20_000);
    link.mqttConnected();
    clock.advance(1000);
    expect(link.snapshot()).toEqual({ up: true, forMs: 1000 });
  });
});
