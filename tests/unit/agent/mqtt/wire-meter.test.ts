import { describe, expect, it } from 'vitest';
import { createWireMeter } from '../../../../agent/src/delivery/mqtt/wire-meter.js';

describe('wire meter', () => {
  it('counts each socket from zero, to its last byte, and hands out each byte once', () => {
    const meter = createWireMeter();
    const first = {};
    meter.observe(first, { txBytes: 100, rxBytes: 10 });
    meter.observe(first, { txBytes: 150, rxBytes: 14 });
    expect(meter.take()).toEqual({ txBytes: 150, rxBytes: 14 });
    expect(meter.take()).toEqual({ txBytes: 0, rxBytes: 0 });
    meter.observe(first, { txBytes: 160, rxBytes: 14 });
    // A new connection's socket starts again from zero.
    const second = {};
    meter.observe(second, { txBytes: 30, rxBytes: 4 });
    meter.observe(second, { txBytes: 30, rxBytes: 4 });
    expect(meter.take()).toEqual({ txBytes: 40, rxBytes: 4 });
  });
});
