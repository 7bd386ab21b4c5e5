import { describe, expect, it } from 'vitest';
import { createModbusClient } from '../../../../agent/src/probes/power/modbus-client.js';
import {
  crc16Modbus,
  parseReadResponse,
  READ_HOLDING_REGISTERS,
  READ_INPUT_REGISTERS,
  readRequest,
  withCrc,
} from '../../../../agent/src/probes/power/modbus-frame.js';
import { FakeClock } from '../../../helpers/fakes.js';
import { FakeSerialConnection, settle } from '../../../helpers/power-fakes.js';

const never = new AbortController().signal;
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('Modbus RTU framing', () => {
  it('computes CRC-16/MODBUS (check value of "123456789" is 0x4B37)', () => {
    expect(crc16Modbus(Buffer.from('123456789'))).toBe(0x4b37);
  });

  it('builds a read request with the CRC low byte first', () => {
    // Textbook frames (and pymodbus's computeCRC agrees): 01 03 00 00 00 0A C5 CD, 01 04 00 00 00 01 31 CA.
    expect(hex(readRequest(1, READ_HOLDING_REGISTERS, 0x0000, 10))).toBe('01030000000ac5cd');
    expect(hex(readRequest(1, READ_INPUT_REGISTERS, 0x0000, 1))).toBe('01040000000131ca');
    expect(hex(readRequest(1, READ_INPUT_REGISTERS, 0x3100, 1))).toBe('0104310000013f36');
  });

  it('reads registers from a complete response and waits for an incomplete one', () => {
    const response = withCrc(Uint8Array.of(1, 4, 4, 0x04, 0xd2, 0x00, 0x2a));
    expect(parseReadResponse(response.subarray(0, 6), 1, READ_INPUT_REGISTERS, 2)).toEqual({ kind: 'incomplete' });
    expect(parseReadResponse(response, 1, READ_INPUT_REGISTERS, 2)).toEqual({
      kind: 'registers',
      registers: [1234, 42],
    });
  });

  it('recognises an exception response', () => {
    const response = withCrc(Uint8Array.of(1, 0x84, 0x02));
    expect(parseReadResponse(response, 1, READ_INPUT_REGISTERS, 6)).toEqual({ kind: 'exception', exceptionCode: 2 });
  });

  it('rejects a bad CRC, a wrong unit and a wrong byte count', () => {
    const response = withCrc(Uint8Array.of(1, 4, 2, 0x04, 0xd2));
    const flipped = Uint8Array.from(response);
    flipped.set([0x05], 3);
    expect(parseReadResponse(flipped, 1, READ_INPUT_REGISTERS, 1).kind).toBe('crc');
    expect(parseReadResponse(response, 2, READ_INPUT_REGISTERS, 1).kind).toBe('crc');
    // A well-formed frame whose byte count (2) does not match the 2 registers asked for (4 bytes).
    const miscounted = withCrc(Uint8Array.of(1, 4, 2, 0x04, 0xd2, 0x00, 0x2a));
    expect(parseReadResponse(miscounted, 1, READ_INPUT_REGISTERS, 2)).toMatchObject({
      kind: 'crc',
      message: 'byte count 2 for 2 registers',
    });
  });
});

describe('Modbus RTU client', () => {
  function setup(timeoutMs = 500) {
    const clock = new FakeClock();
    const line = new FakeSerialConnection();
    const client = createModbusClient(clock, timeoutMs);
    line.onData((chunk) => client.receive(chunk));
    return { clock, line, client };
  }

  it('sends the request and reads an answer that arrives in pieces', async () => {
    const { line, client } = setup();
    line.onWrite = () => {
      const answer = withCrc(Uint8Array.of(1, 4, 4, 0x05, 0x00, 0x04, 0xb0));
      line.emit(answer.subarray(0, 3));
      line.emit(answer.subarray(3));
    };
    const result = await client.read(line, 1, READ_INPUT_REGISTERS, 0x3104, 2, never);
    expect(result).toEqual({ ok: true, value: [1280, 1200] });
    expect(hex(line.written[0] ?? new Uint8Array())).toBe(hex(readRequest(1, READ_INPUT_REGISTERS, 0x3104, 2)));
  });

  it('gives modbus_timeout when nothing answers, on the injected clock', async () => {
    const { clock, line, client } = setup(500);
    const reading = client.read(line, 1, READ_INPUT_REGISTERS, 0x3100, 1, never);
    await settle();
    clock.advance(500);
    expect(await reading).toMatchObject({ ok: false, code: 'modbus_timeout' });
    expect(clock.pendingTimers).toBe(0);
  });

  it('gives modbus_timeout at once when the caller aborts', async () => {
    const { line, client } = setup(60_000);
    const controller = new AbortController();
    const reading = client.read(line, 1, READ_INPUT_REGISTERS, 0x3100, 1, controller.signal);
    await settle();
    controller.abort();
    expect(await reading).toMatchObject({ ok: false, code: 'modbus_timeout' });
  });

  it('gives modbus_exception with the exception code, and modbus_crc for a corrupt answer', async () => {
    const { line, client } = setup();
    line.onWrite = () => line.emit(withCrc(Uint8Array.of(1, 0x83, 0x02)));
    const exception = await client.read(line, 1, READ_HOLDING_REGISTERS, 0x900d, 1, never);
    expect(exception).toMatchObject({ ok: false, code: 'modbus_exception' });
    expect(!exception.ok && exception.message).toMatch(/exception code 2/);
    line.onWrite = () => line.emit(Uint8Array.of(1, 4, 2, 0x04, 0xd2, 0x00, 0x00));
    expect(await client.read(line, 1, READ_INPUT_REGISTERS, 0x3104, 1, never)).toMatchObject({ code: 'modbus_crc' });
  });

  it('ignores bytes that arrive outside a transaction', async () => {
    const { line, client } = setup();
    line.emit(Uint8Array.of(0xde, 0xad));
    line.onWrite = () => line.emit(withCrc(Uint8Array.of(1, 4, 2, 0x00, 0x07)));
    expect(await client.read(line, 1, READ_INPUT_REGISTERS, 0x3110, 1, never)).toEqual({ ok: true, value: [7] });
  });
});
