import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodePayload } from '@pantau/shared';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_MAIN, COLLECTOR_MAIN, LOOPBACK_ONLY_AGENT_ENV, runBin } from '../helpers/bins.js';
import { writeProvisioningConfig } from '../helpers/provision.js';
import { type ShippedMosquitto, startShippedMosquitto } from '../helpers/shipped-mosquitto.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import { waitFor } from '../helpers/wait.js';

const SITE = 'kutim-sangatta-01';
const OTHER = 'paser-kuaro-02';
/** A site whose login the shipped script made before provisioning existed: it must keep working. */
const OLD_SITE = 'kutim-lama-01';
const FIELDS = (name: string) => [
  '--name',
  name,
  '--kabupaten_code',
  '64.08',
  '--kabupaten',
  'Kutai Timur',
  '--kecamatan_code',
  '64.08.05',
  '--kecamatan',
  'Sangatta Utara',
  '--desa_code',
  '64.08.05.2001',
  '--desa',
  'Swarga Bara',
  '--group',
  'school',
  '--latitude',
  '0.51',
  '--longitude',
  '117.54',
];

const dirs = tempDirs();
let broker: ShippedMosquitto;
let dir: string;
let collectorConfig: string;
let noc: MqttClient;
const telemetrySeen: string[] = [];

beforeAll(async () => {
  broker = await startShippedMosquitto({ sites: [OLD_SITE] });
  dir = dirs.make('provision-broker');
  collectorConfig = writeProvisioningConfig(dir, 'collector.yaml', broker);
  noc = await mqtt.connectAsync(broker.nocUrl, {
    username: 'pantau-collector',
    password: broker.password('pantau-collector'),
    clientId: 'pantau-collector-watch',
    clean: true,
  });
  noc.on('message', (topic) => telemetrySeen.push(topic));
  await noc.subscribeAsync(['pantau/v1/site/+/telemetry', 'pantau/v1/site/+/status'], { qos: 1 });
}, 120_000);

afterAll(async () => {
  await noc?.endAsync();
  await broker?.stop();
  dirs.removeAll();
});

/** `pantau-collector provision|decommission ...` as the NOC runs it; resolves once the broker has reloaded. */
async function collectorCli(...args: string[]) {
  const reloadsBefore = broker.reloads();
  const result = await runBin(COLLECTOR_MAIN, [...args, '--config', collectorConfig], { timeoutMs: 120_000 });
  if (result.code === 0 && !result.stdout.includes('had no login')) {
    await waitFor('the broker to reload its files', () => broker.reloads() > reloadsBefore);
  }
  return result;
}

async function provision(siteId: string, ...args: string[]): Promise<string> {
  const result = await collectorCli('provision', siteId, ...args);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const password = /^ {2}password {2}(\S+)$/m.exec(result.stdout)?.[1];
  if (password === undefined) throw new Error(`no password printed:\n${result.stdout}`);
  return password;
}

/** A site's TLS connection, the broker's CA pinned; rejects when the broker refuses the login. */
function connectAsSite(siteId: string, password: string): Promise<MqttClient> {
  return mqtt.connectAsync(broker.sitesTlsUrl, {
    username: siteId,
    password,
    ca: readFileSync(broker.pki.caFile),
    clean: true,
    reconnectPeriod: 0,
    connectTimeout: 30_000,
  });
}

async function refused(siteId: string, password: string): Promise<string> {
  try {
    const client = await connectAsSite(siteId, password);
    await client.endAsync();
    return 'accepted';
  } catch (error) {
    return (error as Error).message;
  }
}

const batchFor = (siteId: string) =>
  encodePayload(
    'telemetry',
    {
      v: 1,
      siteId,
      agentVersion: 'test',
      sentAtMs: Date.now(),
      samples: [{ seq: 1, bootId: 'b1', wallMs: Date.now(), clockSynced: true, uptimeMs: 1000, probes: {} }],
    },
    'columnar',
  );

describe('provision on the shipped Mosquitto, over TLS with its ACL', () => {
  let sitePassword = '';

  it("the provisioned agent config passes the agent's check through TLS with the pinned CA", async () => {
    sitePassword = await provision(SITE, ...FIELDS('SD Negeri 1 Sangatta'));
    const bundle = join(dir, 'provisioned', SITE);
    const agentYaml = readFileSync(join(bundle, 'agent.yaml'), 'utf8');
    expect(agentYaml).toContain(`url: ${broker.sitesTlsUrl}`);
    // The config as provisioned; only the Pi's paths (CA, spool) point into this test's folder.
    const checked = await runBin(AGENT_MAIN, ['check', '--config', join(bundle, 'agent.yaml')], {
      env: {
        ...process.env,
        ...LOOPBACK_ONLY_AGENT_ENV,
        PANTAU_MQTT_CA_FILE: join(bundle, 'ca.pem'),
        PANTAU_DATA_DIR: join(dir, 'agent-data'),
        PANTAU_LATENCY_TARGETS: '[{"role":"noc","host":"127.0.0.1","count":1}]',
      },
      timeoutMs: 120_000,
    });
    expect(checked.stdout).toMatch(/^\[ PASS \] config {3}site kutim-sangatta-01/m);
    expect(checked.stdout).toMatch(/^\[ PASS \] broker {3}round trip \d+ ms via mqtts:\/\/127\.0\.0\.1:\d+/m);
  });

  it("another site's login cannot publish on this site's topics; each publishes on its own", async () => {
    const otherPassword = await provision(OTHER, ...FIELDS('Puskesmas Kuaro'));
    const other = await connectAsSite(OTHER, otherPassword);
    await other.publishAsync(`pantau/v1/site/${SITE}/telemetry`, batchFor(SITE), { qos: 1 });
    await other.publishAsync(`pantau/v1/site/${SITE}/status`, 'forged', { qos: 1 });
    // Sent last on the same connection: once it arrives, the forged ones had their chance.
    await other.publishAsync(`pantau/v1/site/${OTHER}/telemetry`, batchFor(OTHER), { qos: 1 });
    await other.endAsync();
    const site = await connectAsSite(SITE, sitePassword);
    await site.publishAsync(`pantau/v1/site/${SITE}/telemetry`, batchFor(SITE), { qos: 1 });
    await site.endAsync();
    await waitFor('both sites’ own telemetry at the NOC', () =>
      telemetrySeen.includes(`pantau/v1/site/${SITE}/telemetry`),
    );
    expect(telemetrySeen).toEqual([`pantau/v1/site/${OTHER}/telemetry`, `pantau/v1/site/${SITE}/telemetry`]);
  });

  it('--rotate: the old password is refused, the new one works, and other logins are untouched', async () => {
    const passwords = join(broker.etcDir, 'pantau-sites.passwd');
    const othersBefore = readFileSync(passwords, 'utf8')
      .split('\n')
      .filter((l) => !l.startsWith(`${SITE}:`));
    const rotated = await provision(SITE, '--rotate');
    expect(rotated).not.toBe(sitePassword);
    expect(await refused(SITE, sitePassword)).toMatch(/Not authorized|Bad User Name or Password/);
    expect(await refused(SITE, rotated)).toBe('accepted');
    expect(await refused(OLD_SITE, broker.password(OLD_SITE))).toBe('accepted');
    expect(
      readFileSync(passwords, 'utf8')
        .split('\n')
        .filter((l) => !l.startsWith(`${SITE}:`)),
    ).toEqual(othersBefore);
    sitePassword = rotated;
  });

  it('provision without --rotate refuses a site that has a login, and changes nothing', async () => {
    const result = await collectorCli('provision', SITE);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('provision_exists');
    expect(await refused(SITE, sitePassword)).toBe('accepted');
  });

  it('decommission: the login is refused and the site stays registered, marked; other sites still log in', async () => {
    const beforeMs = Date.now();
    const result = await collectorCli('decommission', SITE);
    expect(result.stdout).toBe(
      `${SITE}: decommissioned: login removed; marked decommissioned in the registry (no more alerts for it; its stored history stays)\n`,
    );
    expect(result.code).toBe(0);
    expect(await refused(SITE, sitePassword)).toMatch(/Not authorized|Bad User Name or Password/);
    expect(await refused(OLD_SITE, broker.password(OLD_SITE))).toBe('accepted');
    const sites = await runBin(COLLECTOR_MAIN, ['sites', '--json', '--config', collectorConfig]);
    const listed = JSON.parse(sites.stdout) as { siteId: string; registry: { decommissionedMs: number | null } }[];
    const marks = new Map(listed.map((s) => [s.siteId, s.registry.decommissionedMs]));
    expect(marks.get(OTHER)).toBeNull();
    expect(marks.get(SITE)).toBeGreaterThanOrEqual(beforeMs);
    const table = await runBin(COLLECTOR_MAIN, ['sites', '--config', collectorConfig]);
    expect(table.stdout).toMatch(new RegExp(`${SITE} .*decommissioned \\d{4}-\\d{2}-\\d{2}`));
  });

  it('provision again: the decommissioned site is recommissioned and logs in', async () => {
    const result = await collectorCli('provision', SITE);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('; recommissioned (decommissioned since ');
    const password = /^ {2}password {2}(\S+)$/m.exec(result.stdout)?.[1] ?? '';
    expect(await refused(SITE, password)).toBe('accepted');
    const sites = await runBin(COLLECTOR_MAIN, ['sites', '--json', '--config', collectorConfig]);
    const listed = JSON.parse(sites.stdout) as { siteId: string; registry: { decommissionedMs: number | null } }[];
    expect(listed.find((s) => s.siteId === SITE)?.registry.decommissionedMs).toBeNull();
  });

  it('a broker that cannot be told to reload: broker_reload_failed, exit 1, with what to do', async () => {
    const broken = join(dir, 'collector-broken.yaml');
    writeFileSync(
      broken,
      readFileSync(collectorConfig, 'utf8').replace(/reload: .*/, `reload: { pidFile: ${join(dir, 'no.pid')} }`),
    );
    const result = await runBin(COLLECTOR_MAIN, [
      'provision',
      'paser-long-ikis-03',
      ...FIELDS('Kantor Desa'),
      '--config',
      broken,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('paser-long-ikis-03: broker_reload_failed: no broker process id in');
    expect(result.stderr).toContain('reload it (`systemctl reload mosquitto`)');
  });
});

describe('provision on a broker whose ACL lacks the site patterns', () => {
  it('adds them after the lines already there, and the new site then publishes on its own topics', async () => {
    const shipped = readFileSync(new URL('../../deploy/mosquitto/pantau.acl', import.meta.url), 'utf8');
    const withoutPatterns = shipped.replace(/^pattern .*\n/gm, '');
    const bare = await startShippedMosquitto({ sites: [OLD_SITE] }, { acl: withoutPatterns });
    const watcher = await mqtt.connectAsync(bare.nocUrl, {
      username: 'pantau-collector',
      password: bare.password('pantau-collector'),
      clientId: 'pantau-collector-watch',
      clean: true,
    });
    try {
      const seen: string[] = [];
      watcher.on('message', (topic) => seen.push(topic));
      await watcher.subscribeAsync('pantau/v1/site/+/telemetry', { qos: 1 });
      const config = writeProvisioningConfig(dir, 'collector-bare.yaml', bare);
      const reloadsBefore = bare.reloads();
      const result = await runBin(COLLECTOR_MAIN, ['provision', SITE, ...FIELDS('SD'), '--config', config], {
        timeoutMs: 120_000,
      });
      expect(result.stdout).toContain(`${SITE}: provisioned; the site patterns were added to the ACL`);
      await waitFor('the broker to reload its files', () => bare.reloads() > reloadsBefore);
      const acl = readFileSync(join(bare.etcDir, 'pantau.acl'), 'utf8');
      expect(acl.startsWith(withoutPatterns)).toBe(true);
      const password = /^ {2}password {2}(\S+)$/m.exec(result.stdout)?.[1] ?? '';
      const site = await mqtt.connectAsync(bare.sitesTlsUrl, {
        username: SITE,
        password,
        ca: readFileSync(bare.pki.caFile),
        clean: true,
        reconnectPeriod: 0,
      });
      await site.publishAsync(`pantau/v1/site/${SITE}/telemetry`, batchFor(SITE), { qos: 1 });
      await site.endAsync();
      await waitFor("the site's telemetry at the NOC", () => seen.includes(`pantau/v1/site/${SITE}/telemetry`));
    } finally {
      await watcher.endAsync();
      await bare.stop();
    }
  });
});
