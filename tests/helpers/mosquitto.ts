import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';
import { waitFor } from './wait.js';

export interface Mosquitto {
  readonly port: number;
  readonly url: string;
  stop(): Promise<void>;
}

/** The Debian `mosquitto` binary; tests need it installed (.ci/run installs it). */
export const MOSQUITTO_BIN = process.env.MOSQUITTO_BIN ?? '/usr/sbin/mosquitto';

export interface MosquittoOptions {
  /** When given, anonymous clients are refused and only these user names and passwords log in. */
  readonly users?: Readonly<Record<string, string>>;
}

/** Starts a real Mosquitto on a free loopback port with a generated config. */
export async function startMosquitto(options: MosquittoOptions = {}): Promise<Mosquitto> {
  const dir = mkdtempSync(join(tmpdir(), 'pantau-mosquitto-'));
  const port = await freePort();
  const configPath = join(dir, 'mosquitto.conf');
  const lines = [`listener ${port} 127.0.0.1`, 'persistence false', 'log_dest stderr'];
  if (options.users === undefined) {
    lines.push('allow_anonymous true');
  } else {
    const passwordFile = join(dir, 'passwords');
    writeFileSync(passwordFile, '');
    for (const [user, password] of Object.entries(options.users)) {
      execFileSync('mosquitto_passwd', ['-b', passwordFile, user, password]);
    }
    // Started as root, Mosquitto drops to the `mosquitto` user, which must read the file.
    chmodSync(dir, 0o755);
    chmodSync(passwordFile, 0o644);
    lines.push('allow_anonymous false', `password_file ${passwordFile}`);
  }
  writeFileSync(configPath, `${lines.join('\n')}\n`);
  const child: ChildProcess = spawn(MOSQUITTO_BIN, ['-c', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.on('error', (error) => {
    stderr += `cannot start ${MOSQUITTO_BIN} (${error.message}); install it: apt-get install mosquitto mosquitto-clients`;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  try {
    await waitFor(`mosquitto on port ${port}`, async () => {
      if (child.exitCode !== null || child.pid === undefined) throw new Error(`mosquitto did not start: ${stderr}`);
      return canConnect(port);
    });
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
