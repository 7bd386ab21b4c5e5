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
  /** Stops the broker (SIGTERM: with persistence it saves its sessions and queues) and keeps its folder. */
  halt(): Promise<void>;
  /** Starts it again on the same port, with the same config and persistence folder. */
  resume(): Promise<void>;
}

export interface MosquittoOptions {
  /** Keep sessions and queued messages across a restart, as a production broker does. */
  readonly persistence?: boolean;
  /** When given, anonymous clients are refused and only these user names and passwords log in. */
  readonly users?: Readonly<Record<string, string>>;
  /** An ACL file's text (with `users`): what each user may read and write. */
  readonly acl?: string;
}

/** The Debian `mosquitto` binary; tests need it installed (.ci/run installs it). */
export const MOSQUITTO_BIN = process.env.MOSQUITTO_BIN ?? '/usr/sbin/mosquitto';

/** Starts a real Mosquitto on a free loopback port with a generated config. */
export async function startMosquitto(options: MosquittoOptions = {}): Promise<Mosquitto> {
  const dir = mkdtempSync(join(tmpdir(), 'pantau-mosquitto-'));
  const port = await freePort();
  const configPath = join(dir, 'mosquitto.conf');
  // Started as root, Mosquitto drops to the `mosquitto` user: it must read its password file and
  // write its database.
  chmodSync(dir, options.persistence ? 0o777 : 0o755);
  const lines = [`listener ${port} 127.0.0.1`, 'log_dest stderr'];
  lines.push(
    ...(options.persistence
      ? ['persistence true', `persistence_location ${dir}/`, 'autosave_interval 0']
      : ['persistence false']),
  );
  if (options.users === undefined) {
    lines.push('allow_anonymous true');
  } else {
    const passwordFile = join(dir, 'passwords');
    writeFileSync(passwordFile, '');
    for (const [user, password] of Object.entries(options.users)) {
      execFileSync('mosquitto_passwd', ['-b', passwordFile, user, password]);
    }
    chmodSync(passwordFile, 0o644);
    lines.push('allow_anonymous false', `password_file ${passwordFile}`);
    if (options.acl !== undefined) {
      const aclFile = join(dir, 'acl');
      writeFileSync(aclFile, options.acl);
      chmodSync(aclFile, 0o644);
      lines.push(`acl_file ${aclFile}`);
    }
  }
  writeFileSync(configPath, `${lines.join('\n')}\n`);
  let child = await launchMosquitto(configPath, [port]);
  const halt = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  };
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    async stop() {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
    halt,
    async resume() {
      child = await launchMosquitto(configPath, [port]);
    },
  };
}

/**
 * Starts `mosquitto -c configPath` and waits until every port answers; a broker that exits first is
 * an error with its last output and `diagnostics()` (e.g. its log file).
 */
export async function launchMosquitto(
  configPath: string,
  ports: readonly number[],
  diagnostics: () => string = () => '',
): Promise<ChildProcess> {
  const child: ChildProcess = spawn(MOSQUITTO_BIN, ['-c', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.on('error', (error) => {
    stderr += `cannot start ${MOSQUITTO_BIN} (${error.message}); install it: apt-get install mosquitto mosquitto-clients`;
  });
  child.stderr?.on('data', (chunk) => {
    stderr = (stderr + String(chunk)).slice(-4000);
  });
  try {
    for (const port of ports) {
      await waitFor(`mosquitto on port ${port}`, async () => {
        if (child.exitCode !== null || child.pid === undefined) {
          throw new Error(`mosquitto did not start: ${stderr}${diagnostics()}`);
        }
        return canConnect(port);
      });
    }
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return child;
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
