import { ok } from '@pantau/shared';
import { describe, expect, it } from 'vitest';
import {
  createThrottledReader,
  parseThrottled,
  throttledValues,
} from '../../../../agent/src/probes/power/throttled.js';
import { fakeFiles } from '../../../helpers/fakes.js';
import { FakeCommandRunner } from '../../../helpers/power-fakes.js';

const never = new AbortController().signal;
const FILE = '/sys/devices/platform/soc/soc:firmware/get_throttled';
const sysfs = (files: Record<string, string>) => ({ ...fakeFiles(files), list: async () => [] });

describe('get_throttled', () => {
  it.each([
    ['throttled=0x50005\n', 0x50005],
    ['throttled=0x0', 0],
    ['50005\n', 0x50005],
    ['0x80008', 0x80008],
  ])('parses %j', (text, flags) => {
    expect(parseThrottled(text)).toBe(flags);
  });

  it.each(['', 'throttled=', 'VCHI initialization failed', 'throttled=0xZZ', '123456789'])(
    'gives null for %j',
    (text) => {
      expect(parseThrottled(text)).toBeNull();
    },
  );

  it('reads bit 0 as under-voltage now and bit 16 as under-voltage since boot', () => {
    expect(throttledValues(0x50005)).toEqual({
      underVoltageNow: true,
      underVoltageSinceBoot: true,
      throttledFlags: 0x50005,
    });
    expect(throttledValues(0x50000)).toEqual({
      underVoltageNow: false,
      underVoltageSinceBoot: true,
      throttledFlags: 0x50000,
    });
    expect(throttledValues(0)).toEqual({ underVoltageNow: false, underVoltageSinceBoot: false, throttledFlags: 0 });
  });

  const options = { source: 'auto' as const, file: FILE, command: 'vcgencmd' };

  it('prefers the firmware sysfs file in auto mode', async () => {
    const runner = new FakeCommandRunner();
    const reader = createThrottledReader(sysfs({ [FILE]: '10000\n' }), runner, options);
    expect(await reader.read(never)).toMatchObject({ underVoltageNow: false, underVoltageSinceBoot: true });
    expect(runner.requests).toHaveLength(0);
  });

  it('falls back to vcgencmd get_throttled', async () => {
    const runner = new FakeCommandRunner({ vcgencmd: ok('throttled=0x1\n') });
    const reader = createThrottledReader(sysfs({}), runner, options);
    expect(await reader.read(never)).toEqual({
      underVoltageNow: true,
      underVoltageSinceBoot: false,
      throttledFlags: 1,
    });
    expect(runner.requests[0]?.args).toEqual(['get_throttled']);
  });

  it('gives nulls, without failing, on a host that is not a Pi or when set to none', async () => {
    const nulls = { underVoltageNow: null, underVoltageSinceBoot: null, throttledFlags: null };
    expect(await createThrottledReader(sysfs({}), new FakeCommandRunner(), options).read(never)).toEqual(nulls);
    const runner = new FakeCommandRunner({ vcgencmd: ok('throttled=0x1\n') });
    const none = createThrottledReader(sysfs({ [FILE]: '1' }), runner, { ...options, source: 'none' });
    expect(await none.read(never)).toEqual(nulls);
    expect(runner.requests).toHaveLength(0);
  });
});
