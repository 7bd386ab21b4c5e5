import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAgentPackages, dpkgInRoot, makeDpkgRoot } from '../helpers/agent-package.js';
import { COLLECTOR_MAIN, LOOPBACK_ONLY_AGENT_ENV, type RunResult, runBin, runProgram } from '../helpers/bins.js';
import { type CollectorProcess, startCollectorProcess } from '../helpers/collector-process.js';
import { writeProvisioningConfig } from '../helpers/provision.js';
import { type ShippedMosquitto, startShippedMosquitto } from '../helpers/shipped-mosquitto.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import { waitFor } from '../helpers/wait.js';

const VERSION = '0.1.0';
const NOC_CONFIG = '/etc/pantau/collector.yaml';
const dirs = tempDirs();
let deb: string;
let broker: ShippedMosquitto;
let collector: CollectorProcess | undefined;
let agent: ChildProcess | undefined;

/** The README's fenced `sh` blocks of "Installing a site (the technician)", each a list of commands. */
function walkThrough(): string[][] {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.split('### Installing a site (the technician)')[1]?.split('\n### ')[0] ?? '';
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) =>
    (m[1] ?? '')
      .replace(/\\\n\s*/g, '')
      .split('\n')
      .map((line) => line.replace(/\s+#.*$/, '').trim())
      .filter((line) => line !== ''),
  );
}

/** A command line's words, as the shell splits them (double quotes only, which the README uses). */
function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
}

// Bundling and compressing the package takes minutes on a loaded 2-core machine; the bound only stops a hang.
beforeAll(async () => {
  deb = (await buildAgentPackages(dirs.make('walk-debs'), { version: VERSION, arches: ['arm64'] })).arm64 ?? '';
  broker = await startShippedMosquitto();
}, 900_000);

afterAll(async () => {
  if (agent !== undefined && agent.exitCode === null && agent.signalCode === null) {
    agent.kill('SIGKILL');
    await once(agent, 'exit');
  }
  await collector?.kill();
  await broker?.stop();
  dirs.removeAll();
});

describe("the README's walk-through for a new site", () => {
  it('provision at the NOC, install the .deb, check, restart: the site is online at the collector over TLS', {
    timeout: 600_000,
  }, async () => {
    const [noc, pi, seen] = walkThrough();
    const dir = dirs.make('walk');
    // The NOC's collector config: its store, the collectors' listener, and where provisioning works.
    const config = writeProvisioningConfig(dir, 'collector.yaml', broker, [
      `mqtt: { url: "${broker.nocUrl}", username: pantau-collector, password: "${broker.password('pantau-collector')}" }`,
    ]);
    collector = startCollectorProcess(config);
    await collector.waitForEvent('started');
    const asNoc = (line: string): Promise<RunResult> => {
      const [program, ...args] = words(line).map((w) => (w === NOC_CONFIG ? config : w));
      expect(program).toBe('pantau-collector');
      return runBin(COLLECTOR_MAIN, args, { timeoutMs: 120_000 });
    };

    // 1. At the NOC.
    expect(noc).toHaveLength(1);
    const reloadsBefore = broker.reloads();
    const provisioned = await asNoc(noc?.[0] ?? '');
    expect(provisioned.stderr).toBe('');
    expect(provisioned.code).toBe(0);
    const siteId = words(noc?.[0] ?? '')[2] ?? '';
    expect(provisioned.stdout).toContain(`${siteId}: provisioned`);
    await waitFor('the broker to read the new login', () => broker.reloads() > reloadsBefore);
    const folder = join(dir, 'provisioned', siteId);

    // 2. At the site: each README line, as it runs on a Pi, here on a temporary root.
    expect(pi).toEqual([
      `apt-get install ./pantau-agent_${VERSION}_arm64.deb`,
      'install -m 640 -g pantau agent.yaml /etc/pantau/agent.yaml',
      'install -m 644 ca.pem /etc/pantau/ca.pem',
      'pantau-agent check --config /etc/pantau/agent.yaml',
      'systemctl restart pantau-agent',
    ]);
    const root = makeDpkgRoot(dirs.make('walk-root'));
    const installed = await dpkgInRoot(root, ['-i', deb]);
    expect(installed.code).toBe(0);
    // `-g pantau`: the package's group, in the temporary root's /etc/group (this machine has none).
    const gid = /^pantau:x:(\d+):/m.exec(readFileSync(join(root, 'etc/group'), 'utf8'))?.[1] ?? '';
    for (const line of pi?.slice(1, 3) ?? []) {
      const args = words(line)
        .slice(1)
        .map((w) => (w.startsWith('/etc/') ? join(root, w) : w === 'pantau' ? gid : w));
      const copied = await runProgram('install', args, { cwd: folder });
      expect(copied.stderr).toBe('');
    }
    const agentYaml = join(root, 'etc/pantau/agent.yaml');
    expect(readFileSync(agentYaml, 'utf8')).toBe(readFileSync(join(folder, 'agent.yaml'), 'utf8'));
    // The config's absolute paths (/etc/pantau/ca.pem, /var/lib/pantau) are the temporary root's here.
    const env = {
      ...process.env,
      ...LOOPBACK_ONLY_AGENT_ENV,
      PANTAU_MQTT_CA_FILE: join(root, 'etc/pantau/ca.pem'),
      PANTAU_DATA_DIR: join(root, 'var/lib/pantau'),
      PANTAU_LATENCY_TARGETS: '[{"role":"noc","host":"127.0.0.1","count":1}]',
    };
    const bin = join(root, 'usr/bin/pantau-agent');
    const checked = await runProgram(bin, ['check', '--config', agentYaml], { env, timeoutMs: 120_000 });
    expect(checked.stdout).toMatch(new RegExp(`^\\[ PASS \\] config {3}site ${siteId}`, 'm'));
    expect(checked.stdout).toMatch(/^\[ PASS \] broker {3}round trip \d+ ms via mqtts:\/\/127\.0\.0\.1:\d+/m);
    // `systemctl restart pantau-agent` runs the unit's ExecStart: the installed bin's `run`.
    const unit = readFileSync(join(root, 'usr/lib/systemd/system/pantau-agent.service'), 'utf8');
    expect(unit).toContain('\nExecStart=/usr/bin/pantau-agent run --config /etc/pantau/agent.yaml\n');
    agent = spawn(bin, ['run', '--config', agentYaml], {
      env: { ...env, PANTAU_SAMPLE_INTERVAL_SEC: '1', PANTAU_DELIVERY_INTERVAL_SEC: '1' },
      stdio: 'ignore',
    });

    // 3. Seen online at the NOC, as `sites` prints it, and its samples stored.
    expect(seen).toEqual([`pantau-collector sites --config ${NOC_CONFIG}`]);
    const line = await waitFor(
      `${siteId} online in \`pantau-collector sites\``,
      async () => {
        const listed = await asNoc(seen?.[0] ?? '');
        return listed.stdout.split('\n').find((l) => l.startsWith(`${siteId} `) && l.includes('online (connected)'));
      },
      180_000,
      1000,
    );
    expect(line).toContain('SD Negeri 1 Sangatta (Sangatta Utara, Kutai Timur)');
    const stored = await waitFor(
      `samples of ${siteId} stored`,
      async () => {
        const listed = await asNoc(`${seen?.[0] ?? ''} --json`);
        const site = (JSON.parse(listed.stdout) as { siteId: string; samples: number }[]).find(
          (s) => s.siteId === siteId,
        );
        return site !== undefined && site.samples > 0 ? site : null;
      },
      180_000,
      1000,
    );
    expect(stored.samples).toBeGreaterThan(0);
  });
});
