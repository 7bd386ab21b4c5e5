import { systemClock } from '@pantau/agent';
import { powerSectionSchema } from '@pantau/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { powerConfigSchema } from '../../agent/src/config/power-schema.js';
import { createModbusClient } from '../../agent/src/probes/power/modbus-client.js';
import { READ_INPUT_REGISTERS } from '../../agent/src/probes/power/modbus-frame.js';
import { createNodePowerIo } from '../../agent/src/probes/power/power-io.js';
import { createPowerProbe } from '../../agent/src/probes/power/power-probe.js';
import { createNodeSerialOpener } from '../../agent/src/probes/power/serial-port.js';
import { silentLogger } from '../helpers/fakes.js';
import { startModbusServer } from '../helpers/modbus-server.js';
import { tracerRegisters } from '../helpers/power-fakes.js';
import { startPtyPair } from '../helpers/socat.js';

const never = new AbortController().signal;
const BAUD = 115_200;

describe('power probe, EPever over Modbus RTU against a real pymodbus server on a socat pty', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setup(registers = tracerRegisters) {
    const ptys = await startPtyPair();
    cleanups.push(() => ptys.stop());
    const server = await startModbusServer(ptys.a, BAUD, { unit: 1, ...registers });
    cleanups.push(() => server.stop());
    return ptys;
  }

  function probeOn(path: string, epever: Record<string, unknown> = {}) {
    const config = powerConfigSchema.parse({
      enabled: true,
      driver: 'epever',
      epever: { path, ...epever },
      throttled: { source: 'none' },
    });
    const probe = createPowerProbe({ config, io: createNodePowerIo(), clock: systemClock, log: silentLogger() });
    cleanups.push(() => probe.stop());
    return probe;
  }

  it('reads every Tracer register back exactly, two cycles on one open port', async () => {
    const ptys = await setup();
    const probe = probeOn(ptys.b);
    const expected = {
      source: 'epever',
      batteryVolts: 12.84,
      batteryAmps: 1.73,
      batteryTempCelsius: -3,
      panelVolts: 18.5,
      solarWatts: 22.2,
      chargeState: 'boost',
      batteryMaxVoltsToday: 13.91,
      batteryMinVoltsToday: 11.98,
      lowVoltageDisconnectVolts: 11.1,
      chargerError: 0,
      underVoltageNow: null,
      underVoltageSinceBoot: null,
      throttledFlags: null,
      error: null,
    };
    const first = await probe.measure(never);
    expect(first).toEqual(expected);
    expect(powerSectionSchema.safeParse(first).success).toBe(true);
    expect(await probe.measure(never)).toEqual(expected);
  });

  it('says modbus_exception when the controller lacks a register, keeping the figures it read', async () => {
    const ptys = await setup({ ...tracerRegisters, holding: {} });
    const section = await probeOn(ptys.b).measure(never);
    expect(section).toMatchObject({ batteryVolts: 12.84, lowVoltageDisconnectVolts: null, error: 'modbus_exception' });
  });

  it('says modbus_timeout when no unit answers (wrong unit id)', async () => {
    const ptys = await setup();
    const section = await probeOn(ptys.b, { unitId: 7, timeoutMs: 300 }).measure(never);
    expect(section).toMatchObject({ batteryVolts: null, error: 'modbus_timeout' });
  });

  it('says serial_unavailable for a port that does not exist', async () => {
    const section = await probeOn('/dev/pantau-no-such-tty').measure(never);
    expect(section).toMatchObject({ batteryVolts: null, error: 'serial_unavailable' });
  });

  it('the client reads a register block the server holds, straight through serialport', async () => {
    const ptys = await setup();
    const opened = await createNodeSerialOpener().open({ path: ptys.b, baudRate: BAUD });
    if (!opened.ok) throw new Error(opened.message);
    const line = opened.value;
    cleanups.push(() => line.close());
    const client = createModbusClient(systemClock, 1000);
    line.onData((chunk) => client.receive(chunk));
    expect(await client.read(line, 1, READ_INPUT_REGISTERS, 0x3100, 6, never)).toEqual({
      ok: true,
      value: [1850, 120, 2220, 0, 1284, 173],
    });
  });
});
