/**
 * Modbus RTU framing (Modbus over Serial Line v1.02, §2.5): unit id, function code, data, then a
 * CRC-16/MODBUS sent low byte first. Only the two read functions the EPever driver needs.
 */
export const READ_HOLDING_REGISTERS = 0x03;
export const READ_INPUT_REGISTERS = 0x04;
export type ReadFunction = typeof READ_HOLDING_REGISTERS | typeof READ_INPUT_REGISTERS;

/** CRC-16/MODBUS: reflected polynomial 0xA001, initial value 0xFFFF. */
export function crc16Modbus(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}

/** Appends the CRC, low byte first. */
export function withCrc(body: Uint8Array): Uint8Array {
  const crc = crc16Modbus(body);
  const frame = new Uint8Array(body.length + 2);
  frame.set(body);
  frame[body.length] = crc & 0xff;
  frame[body.length + 1] = crc >>> 8;
  return frame;
}

export function readRequest(unit: number, fn: ReadFunction, address: number, count: number): Uint8Array {
  return withCrc(Uint8Array.of(unit, fn, address >>> 8, address & 0xff, count >>> 8, count & 0xff));
}

export type ResponseParse =
  | { readonly kind: 'incomplete' }
  | { readonly kind: 'registers'; readonly registers: number[] }
  | { readonly kind: 'exception'; readonly exceptionCode: number }
  | { readonly kind: 'crc'; readonly message: string };

/**
 * Reads a response to `readRequest(unit, fn, _, count)` from the bytes received so far. RTU marks
 * frame ends by silence, which a user-space program cannot see reliably, so the expected length
 * decides: 5 + 2 × count for registers, 5 for an exception (function code + 0x80).
 */
export function parseReadResponse(bytes: Uint8Array, unit: number, fn: ReadFunction, count: number): ResponseParse {
  if (bytes.length < 2) return { kind: 'incomplete' };
  if (bytes[0] !== unit || (bytes[1] !== fn && bytes[1] !== (fn | 0x80))) {
    return { kind: 'crc', message: `unexpected frame start ${hex(bytes.subarray(0, 2))}` };
  }
  const isException = bytes[1] === (fn | 0x80);
  const expected = isException ? 5 : 5 + 2 * count;
  if (bytes.length < expected) return { kind: 'incomplete' };
  const frame = bytes.subarray(0, expected);
  const crc = crc16Modbus(frame.subarray(0, expected - 2));
  if ((frame[expected - 2] ?? -1) !== (crc & 0xff) || (frame[expected - 1] ?? -1) !== crc >>> 8) {
    return { kind: 'crc', message: `bad CRC in ${hex(frame)}` };
  }
  if (isException) return { kind: 'exception', exceptionCode: frame[2] ?? 0 };
  if (frame[2] !== 2 * count) return { kind: 'crc', message: `byte count ${frame[2]} for ${count} registers` };
  const registers: number[] = [];
  for (let i = 0; i < count; i++) registers.push(((frame[3 + 2 * i] ?? 0) << 8) | (frame[4 + 2 * i] ?? 0));
  return { kind: 'registers', registers };
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}
