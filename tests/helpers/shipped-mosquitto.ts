import { execFile } from 'node:child_process';
import { once } from 'node:events';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { makeTestPki, type TestPki } from '@pantau/bench/test-pki';
import { launchMosquitto } from './mosquitto.js';
import { freePort } from './ports.js';
import { waitFor } from './wait.js';

const deploy = fileURLToPath(new URL('../../deploy/mosquitto/', import.meta.url));
export const SHIPPED_CONF = join(deploy, 'mosquitto.conf');
export const SHIPPED_ACL = join(deploy, 'pantau.acl');
export const BROKER_USER_SCRIPT = join(deploy, 'pantau-broker-user');

const run = promisify(execFile);

export interface ShippedMosquitto {
  /** The sites' listener (1883 in the shipped file). */
  readonly sitesUrl: string;
  /** The sites' TLS listener (8883 in the shipped file), its certificate for 127.0.0.1 from `pki`. */
  readonly sitesTlsUrl: string;
  /** The CA and certificates the test made for the TLS listener. */
  readonly pki: TestPki;
  /** The collectors' listener (1884 in the shipped file). */
  readonly nocUrl: string;
  /** The password the shipped script made for a login. */
  password(user: string): string;
  /** The config as started: the shipped file with this test's paths and ports. */
  readonly configText: string;
  /** Where its password files and ACL are (the shipped /etc/mosquitto/). */
  readonly etcDir: string;
  /** The shipped config's pid_file, which Mosquitto writes: what `provision.reload.pidFile` names. */
  readonly pidFile: string;
  /** How many times it has reloaded its files (SIGHUP) so far, from its log. */
  reloads(): number;
  /** Adds a login with deploy/mosquitto/pantau-broker-user; a running broker reads it on `reload()`. */
  addUser(kind: 'site' | 'collector', name: string): Promise<string>;
  /** SIGHUP: Mosquitto reads its password and ACL files again. */
  reload(): Promise<void>;
  /** SIGUSR1: Mosquitto writes its in-memory database, as its autosave does; resolves once written. */
  save(): Promise<void>;
  /** A clean stop (SIGTERM: the database is saved); the folder is kept for `resume()`. */
  halt(): Promise<void>;
  /** A crash (SIGKILL): nothing more is saved. */
  crash(): Promise<void>;
  /** Starts it again with the same config, files and ports. */
  resume(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Mosquitto started with deploy/mosquitto/mosquitto.conf as shipped, with only its paths moved into a
 * temporary folder and its listeners onto free loopback ports (checked: every other line is the
 * shipped one). Logins are made with the shipped script, so the test also proves how passwords are made.
 */
export async function startShippedMosquitto(
  users: { sites?: readonly string[]; collectors?: readonly string[] } = {},
  options: { acl?: string } = {},
): Promise<ShippedMosquitto> {
  const dir = mkdtempSync(join(tmpdir(), 'pantau-shipped-broker-'));
  // Started as root, Mosquitto drops to the `mosquitto` user, which writes its database and log here.
  chmodSync(dir, 0o777);
  const etc = join(dir, 'etc');
  mkdirSync(etc, { mode: 0o755 });
  const lib = join(dir, 'lib');
  mkdirSync(lib, { mode: 0o777 });
  chmodSync(lib, 0o777);
  if (options.acl === undefined) copyFileSync(SHIPPED_ACL, join(etc, 'pantau.acl'));
  else writeFileSync(join(etc, 'pantau.acl'), options.acl);
  chmodSync(join(etc, 'pantau.acl'), 0o644);
  const [sitesPort, tlsPort, nocPort] = [await freePort(), await freePort(), await freePort()];
  // The shipped file's certificate paths, filled by the test's own CA (etc/certs/).
  const pki = makeTestPki(join(etc, 'certs'));
  const configText = adaptShippedConfig(readFileSync(SHIPPED_CONF, 'utf8'), {
    dir,
    etc,
    lib,
    sitesPort,
    tlsPort,
    nocPort,
  });
  const configPath = join(dir, 'mosquitto.conf');
  writeFileSync(configPath, configText);
  const passwords: Record<string, string> = {};
  const addUser = async (kind: 'site' | 'collector', name: string) => {
    const { stdout } = await run(BROKER_USER_SCRIPT, [kind, name, '--dir', etc]);
    const password = /password \(shown once\): (\S+)/.exec(stdout)?.[1];
    if (password === undefined) throw new Error(`pantau-broker-user printed no password: ${stdout}`);
    passwords[name] = password;
    return password;
  };
  for (const site of users.sites ?? []) await addUser('site', site);
  for (const collector of users.collectors ?? ['pantau-collector']) await addUser('collector', collector);
  // Without sites yet, an empty file (as docs/provisioning.md sets up): Mosquitto refuses a missing one.
  const sitesFile = join(etc, 'pantau-sites.passwd');
  if (!existsSync(sitesFile)) writeFileSync(sitesFile, '', { mode: 0o644 });
  const logPath = join(dir, 'mosquitto.log');
  const ports = [sitesPort, tlsPort, nocPort];
  const pidFile = join(dir, 'mosquitto.pid');
  const launch = async () => {
    const started = await launchMosquitto(configPath, ports, () => logText(logPath).slice(-2000));
    // The shipped pid_file: Mosquitto writes it once it has dropped root, after opening its listeners.
    await waitFor('the broker pid file', () => logText(pidFile).trim() === String(started.pid));
    return started;
  };
  let child = await launch();
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
      await once(child, 'exit');
    }
  };
  return {
    sitesUrl: `mqtt://127.0.0.1:${sitesPort}`,
    sitesTlsUrl: `mqtts://127.0.0.1:${tlsPort}`,
    pki,
    nocUrl: `mqtt://127.0.0.1:${nocPort}`,
    password(user) {
      const password = passwords[user];
      if (password === undefined) throw new Error(`no login ${user} was made`);
      return password;
    },
    configText,
    etcDir: etc,
    pidFile,
    reloads: () => logText(logPath).split('Reloading config').length - 1,
    addUser,
    async reload() {
      const before = logText(logPath).length;
      child.kill('SIGHUP');
      await waitFor('mosquitto to reload', () => logText(logPath).slice(before).includes('Reloading config'));
    },
    async save() {
      // Mosquitto writes mosquitto.db.new and renames it over mosquitto.db when the save is whole.
      const db = join(lib, 'mosquitto.db');
      const before = existsSync(db) ? statSync(db).mtimeMs : 0;
      child.kill('SIGUSR1');
      await waitFor('mosquitto to save its database', () => {
        const savedMs = existsSync(db) ? statSync(db).mtimeMs : 0;
        return savedMs > before && !existsSync(`${db}.new`);
      });
    },
    halt: () => end('SIGTERM'),
    crash: () => end('SIGKILL'),
    async resume() {
      child = await launch();
    },
    async stop() {
      await end('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface Placement {
  readonly dir: string;
  readonly etc: string;
  readonly lib: string;
  readonly sitesPort: number;
  readonly tlsPort: number;
  readonly nocPort: number;
}

/** The shipped text with its paths and ports moved; refuses to change any other line. */
export function adaptShippedConfig(text: string, at: Placement): string {
  const lines = text.split('\n').map((line) =>
    line.startsWith('#')
      ? line
      : line
          .replace(/^listener 1883$/, `listener ${at.sitesPort} 127.0.0.1`)
          .replace(/^listener 8883$/, `listener ${at.tlsPort} 127.0.0.1`)
          .replace(/^listener 1884 127\.0\.0\.1$/, `listener ${at.nocPort} 127.0.0.1`)
          .replace('/etc/mosquitto/', `${at.etc}/`)
          .replace('/var/lib/mosquitto/', `${at.lib}/`)
          .replace('/var/log/mosquitto/mosquitto.log', join(at.dir, 'mosquitto.log'))
          .replace('/run/mosquitto/mosquitto.pid', join(at.dir, 'mosquitto.pid')),
  );
  const original = text.split('\n');
  const changed = lines.filter((line, i) => line !== original[i]);
  const moved = changed.every((line) => line.includes(at.dir) || /^listener \d+ 127\.0\.0\.1$/.test(line));
  if (!moved || changed.length !== 15) {
    throw new Error(`the shipped mosquitto.conf changed shape; adapt only paths and ports:\n${changed.join('\n')}`);
  }
  return lines.join('\n');
}

function logText(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}
