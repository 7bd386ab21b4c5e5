import { describe, expect, it } from 'vitest';
import { createEpeverDriver } from '../../../../agent/src/probes/power/epever-driver.js';
import { createVeDirectDriver } from '../../../../agent/src/probes/power/vedirect-driver.js';
import { FakeClock } from '../../../helpers/fakes.js';
import { answerLikeTracer, FakeSerialOpener, settle, tracerRegisters } from '../../../helpers/power-fakes.js';
import { hexFrame, mpptFields, veDirectBlock } from '../../../helpers/vedirect.js';

const never = new AbortController().signal;
const veOptions = { path: '/dev/ttyUSB0', baudRate: 19_200, maxAgeMs: 10_000, waitMs: 2500 };

describe('VE.Direct driver', () => {
  it('opens 19200 baud, keeps the port open and reports the newest valid block', async () => {
    const clock = new FakeClock();
    const opener = new FakeSerialOpener();
    opener.onOpen = (port) => setImmediate(() => port.emit(veDirectBlock(mpptFields)));
    const driver = createVeDirectDriver(opener, clock, veOptions);
    expect(await driver.read(never)).toEqual({
      values: expect.objectContaining({ batteryVolts: 12.8, batteryAmps: 1.25, chargeState: 'bulk' }),
      error: null,
    });
    opener.last?.emit(Buffer.concat([hexFrame, veDirectBlock([['V', '12650']])]));
    clock.advance(1000);
    expect((await driver.read(never)).values.batteryVolts).toBe(12.65);
    expect(opener.opened).toHaveLength(1);
    await driver.stop();
    expect(opener.last?.closed).toBe(true);
  });

  it('says serial_unavailable when the port cannot be opened, and tries again next cycle', async () => {
    const clock = new FakeClock();
    const opener = new FakeSerialOpener();
    opener.available = false;
    const driver = createVeDirectDriver(opener, clock, veOptions);
    expect(await driver.read(never)).toMatchObject({ error: 'serial_unavailable', values: {} });
    opener.available = true;
    opener.onOpen = (port) => setImmediate(() => port.emit(veDirectBlock(mpptFields)));
    expect(await driver.read(never)).toMatchObject({ error: null });
  });

  it('says vedirect_silent after waiting for a silent port, then reopens it', async () => {
    const clock = new FakeClock();
    const opener = new FakeSerialOpener();
    const driver = createVeDirectDriver(opener, clock, veOptions);
    const reading = driver.read(never);
    await settle();
    clock.advance(2500);
    expect(await reading).toMatchObject({ error: 'vedirect_silent' });
    expect(opener.last?.closed).toBe(true);
    opener.onOpen = (port) => setImmediate(() => port.emit(veDirectBlock(mpptFields)));
    expect(await driver.read(never)).toMatchObject({ error: null });
    expect(opener.opened).toHaveLength(2);
  });

  it('says vedirect_bad_checksum when only bad blocks and garbage arrive', async () => {
    const clock = new FakeClock();
    const opener = new FakeSerialOpener();
    opener.onOpen = (port) =>
      setImmediate(() =>
        port.emit(Buffer.concat([veDirectBlock(mpptFields, { corrupt: true }), Buffer.alloc(300, 0x41)])),
      );
    const driver = createVeDirectDriver(opener, clock, veOptions);
    const reading = driver.read(never);
    await settle();
    clock.advance(2500);
    expect(await reading).toMatchObject({ error: 'vedirect_bad_checksum', values: {} });
  });

  it('does not report a block older than maxAgeMs', async () => {
    const clock = new FakeClock();
    const opener = new FakeSerialOpener();
    opener.onOpen = (port) => setImmediate(() => port.emit(veDirectBlock(mpptFields)));
    const driver = createVeDirectDriver(opener, clock, veOptions);
    expect(await driver.read(never)).toMatchObject({ error: null });
    clock.advance(10_001);
    const reading = driver.read(never);
    await settle();
    clock.advance(2500);
    expect(await reading).toMatchObject({ error: 'vedirect_silent' });
  });

  it('says serial_unavailable when the device is unplugged, and reopens next cycle', async () => {
    const clock = new FakeClock();
    const opener = new FakeSerialOpener();
    const driver = createVeDirectDriver(opener, clock, veOptions);
    const reading = driver.read(never);
    await settle();
    opener.last?.unplug();
    clock.advance(2500);
    expect(await reading).toMatchObject({ error: 'serial_unavailable' });
    opener.onOpen = (port) => setImmediate(() => port.emit(veDirectBlock(mpptFields)));
    expect(await driver.read(never)).toMatchObject({ error: null });
    expect(opener.opened).toHaveLength(2);
  });

  it('stops waiting as soon as the signal aborts', async () => {
    const clock = new FakeClock();
    const driver = createVeDirectDriver(new FakeSerialOpener(), clock, { ...veOptions, waitMs: 60_000 });
    const controller = new AbortController();
    const reading = driver.read(controller.signal);
    await settle();
    controller.abort();
    expect(await reading).toMatchObject({ error: 'vedirect_silent' });
    expect(clock.pendingTimers).toBe(0);
  });
});

describe('EPever driver', () => {
  const options = { path: '/dev/ttyACM0', baudRate: 115_200, unitId: 1, timeoutMs: 1000 };

  it('reads every register and converts hundredths, signed temperature and charging status', async () => {
    const opener = new FakeSerialOpener();
    opener.onOpen = (port) => answerLikeTracer(port);
    const driver = createEpeverDriver(opener, new FakeClock(), options);
    expect(await driver.read(never)).toEqual({
      values: {
        panelVolts: 18.5,
        solarWatts: 22.2,
        batteryVolts: 12.84,
        batteryAmps: 1.73,
        batteryTempCelsius: -3,
        chargerError: 0,
        chargeState: 'boost',
        batteryMaxVoltsToday: 13.91,
        batteryMinVoltsToday: 11.98,
        lowVoltageDisconnectVolts: 11.1,
      },
      error: null,
    });
    expect(opener.opened).toHaveLength(1);
  });

  it.each([
    [0b0001, 'off'],
    [0b0101, 'float'],
    [0b1001, 'boost'],
    [0b1101, 'equalization'],
    [0b0011, 'fault'],
  ])('names charging status %i "%s"', async (status, name) => {
    const opener = new FakeSerialOpener();
    opener.onOpen = (port) =>
      answerLikeTracer(port, { ...tracerRegisters, input: { ...tracerRegisters.input, 12801: status } });
    const result = await createEpeverDriver(opener, new FakeClock(), options).read(never);
    expect(result.values.chargeState).toBe(name);
  });

  it('gives modbus_exception, keeping what it read before', async () => {
    const opener = new FakeSerialOpener();
    opener.onOpen = (port) => answerLikeTracer(port, { ...tracerRegisters, holding: {} });
    const result = await createEpeverDriver(opener, new FakeClock(), options).read(never);
    expect(result).toMatchObject({ error: 'modbus_exception', values: { batteryVolts: 12.84 } });
    expect(result.values.lowVoltageDisconnectVolts).toBeUndefined();
  });

  it('gives modbus_timeout when the controller is silent, and modbus_crc on line noise', async () => {
    const clock = new FakeClock();
    const opener = new FakeSerialOpener();
    const driver = createEpeverDriver(opener, clock, options);
    const reading = driver.read(never);
    await settle();
    clock.advance(1000);
    expect(await reading).toMatchObject({ error: 'modbus_timeout', values: {} });
    const port = opener.last;
    if (port === undefined) throw new Error('not opened');
    port.onWrite = () => port.emit(Uint8Array.of(1, 4, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff));
    expect(await driver.read(never)).toMatchObject({ error: 'modbus_crc' });
    expect(opener.opened).toHaveLength(1);
  });

  it('gives serial_unavailable for a missing port and reopens a lost one', async () => {
    const opener = new FakeSerialOpener();
    opener.available = false;
    const driver = createEpeverDriver(opener, new FakeClock(), options);
    expect(await driver.read(never)).toMatchObject({ error: 'serial_unavailable' });
    opener.available = true;
    opener.onOpen = (port) => {
      port.onWrite = () => port.unplug();
    };
    const clock = new FakeClock();
    const lostDriver = createEpeverDriver(opener, clock, options);
    const reading = lostDriver.read(never);
    await settle();
    clock.advance(1000);
    expect(await reading).toMatchObject({ error: 'serial_unavailable' });
    opener.onOpen = (port) => answerLikeTracer(port);
    expect(await lostDriver.read(never)).toMatchObject({ error: null });
  });
});
