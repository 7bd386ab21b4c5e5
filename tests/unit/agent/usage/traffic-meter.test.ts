import { describe, expect, it } from 'vitest';
import { createTrafficMeter } from '../../../../agent/src/probes/usage/traffic-meter.js';

describe('traffic meter', () => {
  it('hands over the bytes since the last take, then starts again', () => {
    const meter = createTrafficMeter();
    expect(meter.take()).toEqual({ rxBytes: 0, txBytes: 0 });
    meter.addTx(300);
    meter.addRx(40);
    meter.addTx(12);
    expect(meter.take()).toEqual({ rxBytes: 40, txBytes: 312 });
    expect(meter.take()).toEqual({ rxBytes: 0, txBytes: 0 });
  });

  it('ignores counts that are not whole positive bytes, and saturates instead of losing precision', () => {
    const meter = createTrafficMeter();
    for (const bad of [-5, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 0]) meter.addRx(bad);
    meter.addTx(Number.MAX_SAFE_INTEGER);
    meter.addTx(10);
    expect(meter.take()).toEqual({ rxBytes: 0, txBytes: Number.MAX_SAFE_INTEGER });
  });
});
