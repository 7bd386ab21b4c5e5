import { describe, expect, it } from 'vitest';
import { type ConnectionDeps, createConnection } from '../../../../agent/src/delivery/mqtt/connection.js';
import { createWireMeter } from '../../../../agent/src/delivery/mqtt/wire-meter.js';
import { FakeMqtt } from '../../../helpers/fake-mqtt.js';
import { FakeClock, silentLogger } from '../../../helpers/fakes.js';

function connection(
  overrides: Partial<ConnectionDeps> = {},
  backoff = { minMs: 1000, maxMs: 4000, reconnectWithinMs: 4000 },
  protocol: 'auto' | '3.1.1' = 'auto',
) {
  const clock = new FakeClock();
  const mqtt = new FakeMqtt();
  const events: string[] = [];
  let epochs = 0;
  const deps: ConnectionDeps = {
    clock,
    // Always the top of the range: each wait is exactly its ceiling.
    random: () => 0.999_999_9,
    log: silentLogger(),
    connect: mqtt.connect,
    nextEpoch: () => epochs++,
    will: (epoch) => ({ topic: 'status', payload: Buffer.from(`will ${epoch}`) }),
    wire: createWireMeter(),
    onUp: async (up, sessionPresent) => {
      events.push(`up ${up.epoch} ${sessionPresent}`);
    },
    onDown: () => events.push('down'),
    onMessage: async (topic) => {
      events.push(`message ${topic}`);
    },
    ...overrides,
  };
  const c = createConnection(
    {
      url: 'mqtt://broker',
      clientId: 'pantau-agent-s1',
      keepaliveSec: 60,
      connectTimeoutMs: 5000,
      backoff,
      startDelayMaxMs: 30_000,
      protocol,
    },
    deps,
  );
  return { c, clock, mqtt, events, epochsHandedOut: () => epochs };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('the connection', () => {
  it('waits a random start delay, then backs off with a doubling ceiling up to the cap', () => {
    const { c, clock, mqtt } = connection();
    c.start();
    clock.advance(29_999);
    expect(mqtt.links).toHaveLength(0);
    clock.advance(1);
    expect(mqtt.links).toHaveLength(1);
    for (const ceilingMs of [1000, 2000, 4000, 4000]) {
      mqtt.last.close();
      clock.advance(ceilingMs - 1);
      const before = mqtt.links.length;
      clock.advance(1);
      expect(mqtt.links).toHaveLength(before + 1);
    }
    expect(c.stats.attempts).toBe(5);
    c.stop();
    expect(clock.pendingTimers).toBe(0);
  });

  it('spends an epoch only on a connection that came up, and registers a will that names it', async () => {
    const { c, mqtt, clock, events, epochsHandedOut } = connection({ random: () => 0 });
    c.start();
    mqtt.last.close();
    clock.advance(0);
    mqtt.last.close();
    clock.advance(0);
    expect(epochsHandedOut()).toBe(1);
    mqtt.last.accept(true);
    await flush();
    expect(events).toEqual(['up 0 true']);
    expect(c.up?.epoch).toBe(0);
    expect(mqtt.last.options.will.payload.toString()).toBe('will 0');
    mqtt.last.close();
    expect(events).toEqual(['up 0 true', 'down']);
    expect(c.up).toBeNull();
    clock.advance(0);
    expect(mqtt.last.options.will.payload.toString()).toBe('will 1');
    expect(c.stats).toMatchObject({ connects: 1, attempts: 4, epoch: 1 });
  });

  it('retries at once in MQTT 3.1.1 when the broker refuses MQTT 5, without a backoff wait', () => {
    const { c, mqtt, clock } = connection();
    c.start();
    clock.advance(30_000);
    expect(mqtt.last.options.protocolVersion).toBe(5);
    mqtt.last.refuse(1);
    clock.advance(0);
    expect(mqtt.links).toHaveLength(2);
    expect(mqtt.last.options.protocolVersion).toBe(4);
    // Any other refusal (bad credentials) is backed off from, and 3.1.1 stays.
    mqtt.last.refuse(5);
    clock.advance(999);
    expect(mqtt.links).toHaveLength(2);
    clock.advance(1);
    expect(mqtt.links).toHaveLength(3);
    expect(mqtt.last.options.protocolVersion).toBe(4);
    c.stop();
  });

  it('speaks 3.1.1 from the first attempt when told to, for a broker that drops MQTT 5 unanswered', () => {
    const { c, mqtt, clock } = connection({}, undefined, '3.1.1');
    c.start();
    clock.advance(30_000);
    expect(mqtt.last.options.protocolVersion).toBe(4);
    mqtt.last.close();
    clock.advance(1000);
    expect(mqtt.links).toHaveLength(2);
    expect(mqtt.last.options.protocolVersion).toBe(4);
    c.stop();
  });

  it('stops reconnecting when stopped, and hands back the link that is up', async () => {
    const { c, mqtt, clock, events } = connection({ random: () => 0 });
    c.start();
    mqtt.last.accept();
    await flush();
    const up = c.stop();
    expect(up?.link).toBe(mqtt.last);
    await up?.link.end();
    clock.advance(60_000);
    expect(mqtt.links).toHaveLength(1);
    expect(events).toEqual(['up 0 false']);
  });

  it('keeps reconnecting when starting an attempt throws (an epoch the disk refused, or any other fault)', () => {
    let failures = 2;
    const { c, mqtt, clock } = connection({
      random: () => 0.999_999_9,
      nextEpoch: () => {
        if (failures-- > 0) throw new Error('ENOSPC: no space left on device');
        return 7;
      },
    });
    c.start();
    clock.advance(30_000);
    expect(mqtt.links).toHaveLength(0);
    clock.advance(1000);
    expect(mqtt.links).toHaveLength(0);
    clock.advance(2000);
    expect(mqtt.links).toHaveLength(1);
    expect(mqtt.last.options.will.payload.toString()).toBe('will 7');
    c.stop();
  });

  it('waits at most reconnectWithinMs for a broker that is away, longer only for one that refuses the site', () => {
    const { c, mqtt, clock } = connection({}, { minMs: 1000, maxMs: 16_000, reconnectWithinMs: 2000 });
    c.start();
    clock.advance(30_000);
    const waits: number[] = [];
    const next = (end: () => void) => {
      end();
      const before = mqtt.links.length;
      let waited = 0;
      while (mqtt.links.length === before) {
        clock.advance(100);
        waited += 100;
      }
      waits.push(waited);
    };
    // Nothing answers: the ceiling stops at reconnectWithinMs.
    for (let i = 0; i < 3; i++) next(() => mqtt.last.close());
    // Bad credentials: the ceiling goes on doubling, to maxMs.
    for (let i = 0; i < 2; i++) next(() => mqtt.last.refuse(5));
    expect(waits).toEqual([1000, 2000, 2000, 8000, 16_000]);
    c.stop();
  });
});
