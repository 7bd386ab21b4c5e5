import { fail, ok, type Result } from '@pantau/shared';
import type { Clock } from '../../clock.js';
import { parseReadResponse, type ReadFunction, readRequest } from './modbus-frame.js';

export type ModbusErrorCode = 'modbus_timeout' | 'modbus_exception' | 'modbus_crc' | 'serial_unavailable';

/** The part of a serial port the client needs: send bytes; received bytes come through `receive`. */
export interface ModbusLine {
  write(data: Uint8Array): Promise<void>;
}

/** A response can be no longer than 5 + 2 × 125 registers (Modbus caps a read at 125). */
const MAX_RESPONSE_BYTES = 256;

/**
 * A Modbus RTU master for one line: one transaction at a time, each bounded by `timeoutMs` and by
 * the caller's signal. Bytes that arrive outside a transaction (a late answer) are thrown away.
 */
export function createModbusClient(clock: Clock, timeoutMs: number) {
  let pending: { bytes: Uint8Array; onData: () => void } | null = null;
  let queue: Promise<unknown> = Promise.resolve();

  async function transact(
    line: ModbusLine,
    unit: number,
    fn: ReadFunction,
    address: number,
    count: number,
    signal: AbortSignal,
  ): Promise<Result<number[], ModbusErrorCode>> {
    const what = `unit ${unit} function ${fn} register 0x${address.toString(16)}`;
    if (signal.aborted) return fail('modbus_timeout', `${what}: aborted`);
    return new Promise((resolve) => {
      const state = { bytes: new Uint8Array(0), onData: check };
      pending = state;
      const cancel = clock.setTimer(timeoutMs, () =>
        finish(fail('modbus_timeout', `${what}: no answer in ${timeoutMs} ms`)),
      );
      const onAbort = () => finish(fail('modbus_timeout', `${what}: aborted`));
      signal.addEventListener('abort', onAbort, { once: true });
      line.write(readRequest(unit, fn, address, count)).catch((error: unknown) => {
        finish(fail('serial_unavailable', `${what}: write failed: ${(error as Error).message}`));
      });

      function check() {
        const parsed = parseReadResponse(state.bytes, unit, fn, count);
        if (parsed.kind === 'registers') finish(ok(parsed.registers));
        else if (parsed.kind === 'exception') {
          finish(fail('modbus_exception', `${what}: exception code ${parsed.exceptionCode}`));
        } else if (parsed.kind === 'crc') finish(fail('modbus_crc', `${what}: ${parsed.message}`));
      }
      function finish(result: Result<number[], ModbusErrorCode>) {
        cancel();
        signal.removeEventListener('abort', onAbort);
        if (pending === state) pending = null;
        resolve(result);
      }
    });
  }

  return {
    /** Feeds received bytes (from the serial port's data events). */
    receive(chunk: Uint8Array): void {
      const current = pending;
      if (current === null) return;
      const joined = new Uint8Array(Math.min(current.bytes.length + chunk.length, MAX_RESPONSE_BYTES));
      joined.set(current.bytes.subarray(0, joined.length));
      joined.set(chunk.subarray(0, joined.length - current.bytes.length), current.bytes.length);
      current.bytes = joined;
      current.onData();
    },
    /** Reads `count` registers; transactions queue one behind another. */
    read(
      line: ModbusLine,
      unit: number,
      fn: ReadFunction,
      address: number,
      count: number,
      signal: AbortSignal,
    ): Promise<Result<number[], ModbusErrorCode>> {
      const run = queue.then(() => transact(line, unit, fn, address, count, signal));
      queue = run.catch(() => {});
      return run;
    },
  };
}
export type ModbusClient = ReturnType<typeof createModbusClient>;
