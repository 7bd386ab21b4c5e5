import { describe, expect, it } from 'vitest';
import { attemptOutcome, createReconnectPolicy } from '../../../../agent/src/delivery/mqtt/reconnect-policy.js';

/** Always the top of the range: each wait is exactly its ceiling. */
const top = () => 0.999_999_9;

describe('reconnect policy', () => {
  it('caps the waits at reconnectWithinMs while the broker is away, so a broker back sees the site soon', () => {
    const policy = createReconnectPolicy({ minMs: 1000, maxMs: 300_000, reconnectWithinMs: 60_000 }, top);
    const waits = Array.from({ length: 12 }, () => policy.waitAfter('unreachable'));
    expect(waits.slice(0, 4)).toEqual([1000, 2000, 4000, 8000]);
    expect(Math.max(...waits)).toBe(60_000);
  });

  it('lets the waits grow to maxMs only after a refusal, and starts again after a connection that worked', () => {
    const policy = createReconnectPolicy({ minMs: 1000, maxMs: 300_000, reconnectWithinMs: 60_000 }, top);
    const refused = Array.from({ length: 12 }, () => policy.waitAfter('refused'));
    expect(Math.max(...refused)).toBe(300_000);
    // A broker that then only stops answering is waited for at most reconnectWithinMs again.
    expect(policy.waitAfter('unreachable')).toBe(60_000);
    expect(policy.waitAfter('worked')).toBe(1000);
    // Full jitter: anything from 0 to the ceiling.
    expect(
      createReconnectPolicy({ minMs: 1000, maxMs: 4000, reconnectWithinMs: 4000 }, () => 0).waitAfter('worked'),
    ).toBe(0);
  });

  it('tells a broker that refused the site from one that is away or restarting', () => {
    const stableMs = 60_000;
    const attempt = { refusedCode: null, disconnectReason: null, upMs: null, stableMs };
    expect(attemptOutcome(attempt)).toBe('unreachable');
    // Bad credentials (3.1.1 code 4, MQTT 5 0x86), not authorized: refused. Server unavailable: away.
    expect(attemptOutcome({ ...attempt, refusedCode: 4 })).toBe('refused');
    expect(attemptOutcome({ ...attempt, refusedCode: 0x86 })).toBe('refused');
    expect(attemptOutcome({ ...attempt, refusedCode: 3 })).toBe('unreachable');
    expect(attemptOutcome({ ...attempt, refusedCode: 0x88 })).toBe('unreachable');
    // Up a minute: it worked. Up and dropped at once: away, unless the broker said why.
    expect(attemptOutcome({ ...attempt, upMs: 60_000 })).toBe('worked');
    expect(attemptOutcome({ ...attempt, upMs: 200 })).toBe('unreachable');
    expect(attemptOutcome({ ...attempt, upMs: 200, disconnectReason: 0x8e })).toBe('refused');
    // Server shutting down (0x8B): a restart, not a refusal.
    expect(attemptOutcome({ ...attempt, upMs: 200, disconnectReason: 0x8b })).toBe('unreachable');
  });
});
