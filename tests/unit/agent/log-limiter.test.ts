import { describe, expect, it } from 'vitest';
import { createWarnLimiter } from '../../../agent/src/probes/failure-log.js';
import { createLogLimiter } from '../../../agent/src/probes/log-limiter.js';
import { captureLogger, FakeClock } from '../../helpers/fakes.js';

describe('log limiter', () => {
  it('lets one line per key through per interval and says how much it held back', () => {
    const clock = new FakeClock();
    const limiter = createLogLimiter(clock, 60_000);
    expect(limiter.admit('a')).toBe(0);
    expect(limiter.admit('b')).toBe(0);
    expect(limiter.admit('a')).toBeNull();
    expect(limiter.admit('a', 5)).toBeNull();
    clock.advance(59_999);
    expect(limiter.admit('a')).toBeNull();
    clock.advance(1);
    expect(limiter.admit('a')).toBe(7);
    expect(limiter.admit('a')).toBeNull();
  });

  it('forgets the longest unused key past its bound, so that key logs again at once', () => {
    const clock = new FakeClock();
    const limiter = createLogLimiter(clock, 60_000, 2);
    limiter.admit('a');
    limiter.admit('b');
    limiter.admit('c');
    expect(limiter.admit('b')).toBeNull();
    expect(limiter.admit('a')).toBe(0);
  });

  it('adds up the counts a warning limiter held back', () => {
    const clock = new FakeClock();
    const { log, lines } = captureLogger();
    const warn = createWarnLimiter(log, clock, 60_000);
    warn('clients_dropped', 3, 'dropped');
    warn('clients_dropped', 4, 'dropped');
    clock.advance(60_000);
    warn('clients_dropped', 1, 'dropped');
    expect(lines.filter((l) => l.event === 'clients_dropped').map((l) => l.count)).toEqual([3, 5]);
  });
});
