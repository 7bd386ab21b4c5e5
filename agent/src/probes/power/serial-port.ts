import { fail, ok, type Result } from '@pantau/shared';
import type { SerialPort } from 'serialport';

/** An open serial line. Listeners are called from the port's events, never with a throw. */
export interface SerialConnection {
  write(data: Uint8Array): Promise<void>;
  /** Bytes as they arrive. */
  onData(listener: (chunk: Uint8Array) => void): void;
  /** The port closed by itself (device unplugged, read error), not by `close()`. */
  onLost(listener: (message: string) => void): void;
  close(): Promise<void>;
}

export interface SerialOpenOptions {
  readonly path: string;
  readonly baudRate: number;
}

/** The IO edge for serial devices: `serialport` in production, a fake or a socat pty in tests. */
export interface SerialPortOpener {
  open(options: SerialOpenOptions): Promise<Result<SerialConnection, 'serial_unavailable'>>;
}

/**
 * Opens real ports with the `serialport` package, always 8N1 (VE.Direct and EPever both use it).
 * The package (and its native binding) is loaded at the first open: only serial power drivers use it.
 */
export function createNodeSerialOpener(): SerialPortOpener {
  return {
    async open({ path, baudRate }) {
      const { SerialPort } = await import('serialport');
      return new Promise((resolve) => {
        const port = new SerialPort({ path, baudRate, dataBits: 8, parity: 'none', stopBits: 1, autoOpen: false });
        // An 'error' event without a listener would crash the agent; errors surface as onLost.
        port.on('error', () => {});
        port.open((error) => {
          if (error) resolve(fail('serial_unavailable', `cannot open ${path}: ${error.message}`));
          else resolve(ok(wrap(port)));
        });
      });
    },
  };
}

function wrap(port: SerialPort): SerialConnection {
  let closing = false;
  return {
    write(data) {
      return new Promise((resolve, reject) => {
        port.write(Buffer.from(data), (error) => (error ? reject(error) : resolve()));
      });
    },
    onData(listener) {
      port.on('data', (chunk: Buffer) => listener(new Uint8Array(chunk)));
    },
    onLost(listener) {
      port.on('close', (error: Error | null) => {
        if (!closing) listener(error?.message ?? 'the port closed');
      });
      port.on('error', (error: Error) => {
        if (!closing) listener(error.message);
      });
    },
    close() {
      closing = true;
      return new Promise((resolve) => {
        if (!port.isOpen) return resolve();
        port.close(() => resolve());
      });
    },
  };
}
