import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '@pantau/agent';
import { createNetSnmpClient } from '../../agent/src/snmp/net-snmp-client.js';
import { freeUdpPort } from './udp-ports.js';
import { waitFor } from './wait.js';

export interface Snmpd {
  readonly port: number;
  readonly community: string;
  stop(): Promise<void>;
}

/** The Debian `snmpd` binary; .ci/run installs it (apt-get install snmpd snmp). */
export const SNMPD_BIN = process.env.SNMPD_BIN ?? '/usr/sbin/snmpd';

/**
 * Starts a real Net-SNMP agent on a free loopback UDP port with a generated config: read-only, one
 * community, answering 127.0.0.1 only, running as the current user, its state in a temporary folder.
 */
export async function startSnmpd(): Promise<Snmpd> {
  const dir = mkdtempSync(join(tmpdir(), 'pantau-snmpd-'));
  const port = await freeUdpPort();
  const community = 'pantau-test';
  const configPath = join(dir, 'snmpd.conf');
  writeFileSync(configPath, [`rocommunity ${community} 127.0.0.1`, `agentuser ${userInfo().username}`, ''].join('\n'));
  const child: ChildProcess = spawn(
    SNMPD_BIN,
    ['-f', '-Lo', '-C', '-c', configPath, '-p', join(dir, 'snmpd.pid'), `udp:127.0.0.1:${port}`],
    {
      // No MIB files are needed (the agent answers numeric OIDs); skipping them keeps start-up quiet.
      env: { ...process.env, SNMP_PERSISTENT_DIR: join(dir, 'state'), MIBS: '', MIBDIRS: join(dir, 'no-mibs') },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.on('error', (error) => {
    output += `cannot start ${SNMPD_BIN} (${error.message}); install it: apt-get install snmpd snmp`;
  });
  child.stdout?.on('data', (chunk) => {
    output = (output + String(chunk)).slice(-4000);
  });
  child.stderr?.on('data', (chunk) => {
    output = (output + String(chunk)).slice(-4000);
  });
  const client = createNetSnmpClient(systemClock);
  const target = { host: '127.0.0.1', port, community, timeoutMs: 500 };
  try {
    await waitFor(`snmpd on udp port ${port}`, async () => {
      if (child.exitCode !== null || child.pid === undefined) throw new Error(`snmpd did not start: ${output}`);
      const answer = await client.get(target, ['1.3.6.1.2.1.1.3.0'], new AbortController().signal);
      return answer.ok;
    });
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    port,
    community,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
