import { describe, expect, it } from 'vitest';
import { publishAcked, type UpLink } from '../../../../agent/src/delivery/mqtt/acked-publish.js';
import { FakeMqtt } from '../../../helpers/fake-mqtt.js';
import { FakeClock } from '../../../helpers/fakes.js';

function upLink() {
  const mqtt = new FakeMqtt();
  const lost = new AbortController();
  const link = mqtt.connect(
    'mqtt://broker',
    {
      clientId: 'c',
      protocolVersion: 5,
      keepaliveSec: 60,
      connectTimeoutMs: 1000,
      will: { topic: 't', payload: Buffer.alloc(0) },
    },
    { connect() {}, message() {}, error() {}, disconnect() {}, close: () => lost.abort() },
  );
  const up: UpLink = { link, epoch: 0, lost: lost.signal };
  return { up, fake: mqtt.last };
}

const message = { topic: 'pantau/v1/site/s/telemetry', payload: Buffer.from('batch'), retain: false };

describe('acknowledged publish', () => {
  it('resolves with the size at the PUBACK', async () => {
    const { up, fake } = upLink();
    fake.autoAck = false;
    const clock = new FakeClock();
    const result = publishAcked(up, clock, message, 10_000);
    fake.ack();
    expect(await result).toEqual({ ok: true, value: 5 });
    expect(clock.pendingTimers).toBe(0);
  });

  it('gives up at the timeout and drops the link, which the socket had not noticed was dead', async () => {
    const { up, fake } = upLink();
    fake.autoAck = false;
    const clock = new FakeClock();
    const result = publishAcked(up, clock, message, 10_000);
    clock.advance(10_000);
    expect(await result).toMatchObject({ ok: false, code: 'ack_timeout' });
    expect(fake.destroyed).toBe(true);
  });

  it('ends the wait as soon as the connection closes, and refuses a closed one at once', async () => {
    const { up, fake } = upLink();
    fake.autoAck = false;
    const clock = new FakeClock();
    const result = publishAcked(up, clock, message, 10_000);
    fake.close();
    expect(await result).toMatchObject({ ok: false, code: 'not_connected' });
    expect(clock.pendingTimers).toBe(0);
    expect(await publishAcked(up, clock, message, 10_000)).toMatchObject({ ok: false, code: 'not_connected' });
    expect(fake.published).toHaveLength(1);
  });
});
