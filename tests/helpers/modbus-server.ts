import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { waitFor } from './wait.js';

/** Debian's Python, which has python3-pymodbus; the `python3` first on PATH may not. */
export const DEBIAN_PYTHON = process.env.PANTAU_PYMODBUS_PYTHON ?? '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./epever_server.py', import.meta.url));

export interface RegisterSpec {
  readonly unit: number;
  readonly input: Record<number, number>;
  readonly holding: Record<number, number>;
}

/** Starts tests/helpers/epever_server.py (pymodbus) on a serial port; resolves once it listens. */
export async function startModbusServer(
  port: string,
  baudRate: number,
  spec: RegisterSpec,
): Promise<{ stop(): Promise<void> }> {
  const child: ChildProcess = spawn(DEBIAN_PYTHON, [SCRIPT, port, String(baudRate), JSON.stringify(spec)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.on('error', (error) => {
    output += `cannot start ${DEBIAN_PYTHON} (${error.message}); install python3-pymodbus`;
  });
  child.stdout?.on('data', (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    output += String(chunk);
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  };
  try {
    await waitFor('the pymodbus server', () => {
      if (child.exitCode !== null) throw new Error(`pymodbus server exited: ${output}`);
      return output.includes('ready');
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { stop };
}
