import type {
  CommandErrorCode,
  CommandRequest,
  CommandRunner,
  SerialConnection,
  SerialOpenOptions,
  SerialPortOpener,
} from '@pantau/agent';
import { fail, ok, type Result } from '@pantau/shared';
import { withCrc } from '../../agent/src/probes/power/modbus-frame.js';

/** A serial port the test talks through: `emit` plays the device, `written` holds what was sent. */
export class FakeSerialConnection implements SerialConnection {
  readonly written: Uint8Array[] = [];
  closed = false;
  private dataListeners: ((chunk: Uint8Array) => void)[] = [];
  private lostListeners: ((message: string) => void)[] = [];
  /** Called on each write, to answer like a device would. */
  onWrite: (data: Uint8Array) => void = () => {};

  async write(data: Uint8Array): Promise<void> {
    this.written.push(data);
    this.onWrite(data);
  }
  onData(listener: (chunk: Uint8Array) => void): void {
    this.dataListeners.push(listener);
  }
  onLost(listener: (message: string) => void): void {
    this.lostListeners.push(listener);
  }
  async close(): Promise<void> {
    this.closed = true;
  }
  emit(bytes: Uint8Array): void {
    for (const listener of this.dataListeners) listener(bytes);
  }
  unplug(): void {
    for (const listener of this.lostListeners) listener('device disconnected');
  }
}

/** Opens a fresh FakeSerialConnection each time, or fails while `available` is false. */
export class FakeSerialOpener implements SerialPortOpener {
  readonly opened: FakeSerialConnection[] = [];
  available = true;
  /** Called with each new connection, so a test can make it answer. */
  onOpen: (connection: FakeSerialConnection) => void = () => {};

  async open(options: SerialOpenOptions): Promise<Result<SerialConnection, 'serial_unavailable'>> {
    if (!this.available) return fail('serial_unavailable', `cannot open ${options.path}: No such file or directory`);
    const connection = new FakeSerialConnection();
    this.opened.push(connection);
    this.onOpen(connection);
    return ok(connection);
  }
  get last(): FakeSerialConnection | undefined {
    return this.opened.at(-1);
  }
}

/** Answers each command from a table keyed by file name; records every request. */
export class FakeCommandRunner implements CommandRunner {
  readonly requests: CommandRequest[] = [];
  constructor(private readonly answers: Record<string, Result<string, CommandErrorCode>> = {}) {}
  async run(request: CommandRequest, _signal: AbortSignal): Promise<Result<string, CommandErrorCode>> {
    this.requests.push(request);
    return this.answers[request.file] ?? fail('command_missing', `${request.file} is not installed`);
  }
}

/** Lets pending promise callbacks run (no timers involved). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** EPever Tracer registers as a real controller holds them (hundredths unless noted). */
export const tracerRegisters = {
  input: {
    12544: 1850, // PV 18.50 V
    12545: 120, // PV 1.20 A
    12546: 2220, // PV 22.20 W (low word)
    12547: 0, // (high word)
    12548: 1284, // battery 12.84 V
    12549: 173, // charging 1.73 A
    12560: 0xfed4, // battery -3.00 °C (signed)
    12800: 0, // battery status normal
    12801: 0b1001, // running, boost (bits 2-3 = 2)
    13058: 1391, // max today 13.91 V
    13059: 1198, // min today 11.98 V
  } as Record<number, number>,
  holding: { 36877: 1110 } as Record<number, number>, // low voltage disconnect 11.10 V
};

/** Makes a fake port answer Modbus RTU reads like a Tracer with these registers. */
export function answerLikeTracer(connection: FakeSerialConnection, registers = tracerRegisters, unit = 1): void {
  connection.onWrite = (request) => {
    const [id, fn] = [request[0], request[1]];
    if (id !== unit || (fn !== 3 && fn !== 4)) return;
    const address = ((request[2] ?? 0) << 8) | (request[3] ?? 0);
    const count = ((request[4] ?? 0) << 8) | (request[5] ?? 0);
    const table = fn === 4 ? registers.input : registers.holding;
    const values: number[] = [];
    for (let i = 0; i < count; i++) {
      const value = table[address + i];
      if (value === undefined) return connection.emit(withCrc(Uint8Array.of(unit, fn | 0x80, 0x02)));
      values.push(value);
    }
    const body = [unit, fn, 2 * count, ...values.flatMap((v) => [v >> 8, v & 0xff])];
    connection.emit(withCrc(Uint8Array.from(body)));
  };
}
