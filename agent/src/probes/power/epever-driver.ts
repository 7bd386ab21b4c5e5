import type { Clock } from '../../clock.js';
import { createModbusClient } from './modbus-client.js';
import { READ_HOLDING_REGISTERS, READ_INPUT_REGISTERS, type ReadFunction } from './modbus-frame.js';
import { type PowerDriver, type PowerValues, readFailed, round3 } from './power-values.js';
import { createSerialKeeper } from './serial-keeper.js';
import type { SerialPortOpener } from './serial-port.js';

export interface EpeverDriverOptions {
  readonly path: string;
  readonly baudRate: number;
  readonly unitId: number;
  /** Per request; a Tracer answers in a few milliseconds. */
  readonly timeoutMs: number;
}

/** EPever charging status 0x3201, bits 2-3 (EPever "Tracer A/B series Modbus protocol" v2.5). */
const chargingStates = ['off', 'float', 'boost', 'equalization'] as const;

/** One read request and what its registers mean. */
interface RegisterBlock {
  readonly fn: ReadFunction;
  readonly address: number;
  readonly count: number;
  readonly map: (r: (i: number) => number) => Partial<PowerValues>;
}

// Registers are in hundredths unless said otherwise. Blocks group neighbours to save round trips.
const blocks: readonly RegisterBlock[] = [
  {
    // 0x3100 PV volts, 0x3101 PV amps, 0x3102/0x3103 PV watts (low, high), 0x3104 battery volts,
    // 0x3105 battery charging amps.
    fn: READ_INPUT_REGISTERS,
    address: 0x3100,
    count: 6,
    map: (r) => ({
      panelVolts: round3(r(0) / 100),
      solarWatts: round3((r(2) + r(3) * 0x10000) / 100),
      batteryVolts: round3(r(4) / 100),
      // The controller's charging current into the battery; it does not see the load's draw.
      batteryAmps: round3(r(5) / 100),
    }),
  },
  // 0x3110 battery temperature, signed (a battery below 0 °C reads as two's complement).
  {
    fn: READ_INPUT_REGISTERS,
    address: 0x3110,
    count: 1,
    map: (r) => ({ batteryTempCelsius: round3(signed16(r(0)) / 100) }),
  },
  {
    // 0x3200 battery status (0 = normal; voltage, temperature and resistance faults as bits),
    // 0x3201 charging status: bit 1 fault, bits 2-3 the charging phase.
    fn: READ_INPUT_REGISTERS,
    address: 0x3200,
    count: 2,
    map: (r) => ({
      chargerError: r(0),
      chargeState: r(1) & 0b10 ? 'fault' : (chargingStates[(r(1) >> 2) & 0b11] ?? null),
    }),
  },
  {
    // 0x3302/0x3303 maximum and minimum battery volts today.
    fn: READ_INPUT_REGISTERS,
    address: 0x3302,
    count: 2,
    map: (r) => ({ batteryMaxVoltsToday: round3(r(0) / 100), batteryMinVoltsToday: round3(r(1) / 100) }),
  },
  // Holding 0x900D: low voltage disconnect setting.
  {
    fn: READ_HOLDING_REGISTERS,
    address: 0x900d,
    count: 1,
    map: (r) => ({ lowVoltageDisconnectVolts: round3(r(0) / 100) }),
  },
];

/**
 * Reads an EPever Tracer over Modbus RTU. The port stays open between cycles. A failed request
 * ends the read with its code, keeping what earlier requests gave; a lost port is opened again
 * next cycle.
 */
export function createEpeverDriver(opener: SerialPortOpener, clock: Clock, options: EpeverDriverOptions): PowerDriver {
  const client = createModbusClient(clock, options.timeoutMs);
  const keeper = createSerialKeeper(opener, { path: options.path, baudRate: options.baudRate }, (chunk) =>
    client.receive(chunk),
  );

  return {
    async read(signal) {
      const port = await keeper.get();
      if (!port.ok) return readFailed(port.code, port.message);
      let values: Partial<PowerValues> = {};
      for (const block of blocks) {
        const result = await client.read(port.value, options.unitId, block.fn, block.address, block.count, signal);
        if (!result.ok) {
          const lost = keeper.lost();
          if (!lost.ok || result.code === 'serial_unavailable') {
            await keeper.drop();
            return readFailed('serial_unavailable', lost.ok ? result.message : lost.message, values);
          }
          return readFailed(result.code, `${options.path}: ${result.message}`, values);
        }
        const registers = result.value;
        values = { ...values, ...block.map((i) => registers[i] ?? 0) };
      }
      return { values, error: null };
    },
    stop: () => keeper.drop(),
  };
}

function signed16(value: number): number {
  return value >= 0x8000 ? value - 0x10000 : value;
}
