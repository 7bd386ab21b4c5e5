import { createPublisher, mqttJsConnect } from '@pantau/agent';
import { describe, expect, it } from 'vitest';
import { FakeClock, silentLogger } from '../helpers/fakes.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';

/** The connection manager's own schedule, on a fake clock, against a port where nothing listens. */
describe('reconnecting with full-jitter backoff', () => {
  it('waits a random delay after start, then doubles the ceiling of each wait up to the cap', async () => {
    const clock = new FakeClock();
    const port = await freePort();
    const publisher = createPublisher(
      {
        url: `mqtt://127.0.0.1:${port}`,
        keepaliveSec: 60,
        connectTimeoutMs: 5000,
        backoff: { minMs: 1000, maxMs: 4000, reconnectWithinMs: 4000 },
        startDelayMaxMs: 30_000,
        topicRoot: 'pantau/v1',
        siteId: 'backoff-01',
        bootId: 'boot',
        agentVersion: '0.1.0',
        configHash: 'x',
        encoding: 'columnar',
        ackTimeoutMs: 10_000,
      },
      {
        clock,
        // Always the top of the range: the waits are exactly the ceilings.
        random: () => 0.999_999_9,
        log: silentLogger(),
        nextEpoch: () => 0,
        spoolState: () => ({ depth: 0, dropped: 0, fault: null }),
        connect: mqttJsConnect,
      },
    );
    publisher.start();
    expect(publisher.stats.attempts).toBe(0);
    clock.advance(29_999);
    expect(publisher.stats.attempts).toBe(0);
    clock.advance(1);
    expect(publisher.stats.attempts).toBe(1);
    for (const ceilingMs of [1000, 2000, 4000, 4000]) {
      const before = publisher.stats.attempts;
      // The refused connection closes in real time; then the next wait runs on the fake clock.
      await waitFor('the refusal', () => clock.pendingTimers > 0);
      clock.advance(ceilingMs - 1);
      expect(publisher.stats.attempts).toBe(before);
      clock.advance(1);
      expect(publisher.stats.attempts).toBe(before + 1);
    }
    await publisher.stop();
    expect(clock.pendingTimers).toBe(0);
  });
});
