import { fail, ok, type Result } from '@pantau/shared';
import type { SerialConnection, SerialOpenOptions, SerialPortOpener } from './serial-port.js';

/**
 * Keeps one serial port open between cycles and opens it again on the next cycle after it was lost
 * or dropped. Reopening every minute would cost a VE.Direct block each time (the charger sends one a
 * second) and resets some USB adapters.
 */
export function createSerialKeeper(
  opener: SerialPortOpener,
  options: SerialOpenOptions,
  onData: (chunk: Uint8Array) => void,
) {
  let current: SerialConnection | null = null;
  let lostMessage: string | null = null;

  return {
    /** The open port, opening it if needed. */
    async get(): Promise<Result<SerialConnection, 'serial_unavailable'>> {
      if (current !== null && lostMessage === null) return ok(current);
      await this.drop();
      const opened = await opener.open(options);
      if (!opened.ok) return opened;
      const connection = opened.value;
      current = connection;
      lostMessage = null;
      connection.onData((chunk) => {
        if (current === connection) onData(chunk);
      });
      connection.onLost((message) => {
        if (current === connection) lostMessage = message;
      });
      return ok(connection);
    },
    /** Why the port was lost since it was opened, or null while it is fine. */
    lost(): Result<void, 'serial_unavailable'> {
      return lostMessage === null ? ok(undefined) : fail('serial_unavailable', `${options.path}: ${lostMessage}`);
    },
    /** Closes the port; the next `get()` opens it again. */
    async drop(): Promise<void> {
      const connection = current;
      current = null;
      lostMessage = null;
      await connection?.close().catch(() => {});
    },
  };
}
export type SerialKeeper = ReturnType<typeof createSerialKeeper>;
