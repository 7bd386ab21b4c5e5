import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentProcess, startAgentProcess } from '../helpers/agent-process.js';
import { AGENT_MAIN, runBin, runProgram } from '../helpers/bins.js';
import { type ShippedMosquitto, startShippedMosquitto } from '../helpers/shipped-mosquitto.js';
import { waitFor } from '../helpers/wait.js';

const SITE = 'kutim-sangatta-01';

/** The shipped broker's TLS listener, with a CA and certificate the test made, and real agents. */
describe('sites over TLS on the shipped Mosquitto', () => {
  let broker: ShippedMosquitto;
  let dir: string;
  beforeAll(async () => {
    broker = await startShippedMosquitto({ sites: [SITE] });
    dir = mkdtempSync(join(tmpdir(), 'pantau-tls-'));
    writeFileSync(join(dir, 'synchronized'), '');
  });
  afterAll(async () => {
    await broker?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  const siteConfig = (mqttLines: readonly string[]) => {
    const file = join(dir, `agent-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(
      file,
      [
        `siteId: ${SITE}`,
        `dataDir: ${join(dir, 'data')}`,
        'mqtt:',
        ...mqttLines.map((line) => `  ${line}`),
        `  username: ${SITE}`,
        `  password: "${broker.password(SITE)}"`,
        'probes: { latency: { detectGateway: false, targets: [{ role: noc, host: 127.0.0.1, count: 1 }] } }',
        `clock: { syncedFile: ${join(dir, 'synchronized')} }`,
        '',
      ].join('\n'),
    );
    return file;
  };

  it('check passes through TLS with the CA pinned in mqtt.caFile', async () => {
    const config = siteConfig([`url: ${broker.sitesTlsUrl}`, `caFile: ${broker.pki.caFile}`]);
    const result = await runBin(AGENT_MAIN, ['check', '--config', config]);
    expect(result.stdout).toMatch(/^\[ PASS \] broker {3}round trip \d+ ms via mqtts:\/\/127\.0\.0\.1:\d+/m);
    expect(result.code).toBe(0);
  });

  it('check refuses a broker whose certificate another CA signed: broker_untrusted', async () => {
    const config = siteConfig([`url: ${broker.sitesTlsUrl}`, `caFile: ${broker.pki.wrongCaFile}`]);
    const result = await runBin(AGENT_MAIN, ['check', '--config', config]);
    expect(result.stdout).toMatch(
      /^\[ FAIL \] broker {3}broker_untrusted: self-signed certificate in certificate chain$/m,
    );
    expect(result.stdout).toContain("-> fix: the broker's certificate is not signed by the CA in mqtt.caFile");
    expect(result.code).toBe(1);
  });

  it('check refuses a certificate for another host name than the URL: broker_untrusted', async () => {
    // The certificate names 127.0.0.1 and localhost; ::ffff:127.0.0.1 reaches the same listener.
    const url = broker.sitesTlsUrl.replace('127.0.0.1', '[::ffff:127.0.0.1]');
    const config = siteConfig([`url: "${url}"`, `caFile: ${broker.pki.caFile}`]);
    const result = await runBin(AGENT_MAIN, ['check', '--config', config]);
    expect(result.stdout).toMatch(
      /^\[ FAIL \] broker {3}broker_untrusted: Hostname\/IP does not match certificate's altnames/m,
    );
    expect(result.stdout).toContain(
      "-> fix: the broker's certificate is not signed by the CA in mqtt.caFile, or is for another host",
    );
    expect(result.code).toBe(1);
  });

  it('a missing CA file or a plain URL with a CA is a config error (exit 2), not a retry loop', async () => {
    const missing = siteConfig([`url: ${broker.sitesTlsUrl}`, `caFile: ${join(dir, 'no-such-ca.pem')}`]);
    const run = await runBin(AGENT_MAIN, ['run', '--config', missing]);
    expect(run.stderr).toContain('mqtt_ca_unreadable');
    expect(run.stderr).toContain('no-such-ca.pem (ENOENT)');
    expect(run.code).toBe(2);
    const checked = await runBin(AGENT_MAIN, ['check', '--config', missing]);
    expect(checked.stdout).toMatch(/^\[ FAIL \] config .*mqtt_ca_unreadable|mqtt\.caFile: cannot read/m);
    expect(checked.code).toBe(2);

    const plain = siteConfig([`url: ${broker.sitesUrl}`, `caFile: ${broker.pki.caFile}`]);
    const refused = await runBin(AGENT_MAIN, ['run', '--config', plain]);
    expect(refused.stderr).toMatch(/mqtt\.caFile: needs a TLS broker URL/);
    expect(refused.code).toBe(2);
  });

  it('the running agent delivers over TLS; with the wrong CA it logs broker_untrusted and delivers nothing', async () => {
    const collector = await mqtt.connectAsync(broker.nocUrl, {
      username: 'pantau-collector',
      password: broker.password('pantau-collector'),
      clientId: 'pantau-collector-tls-test',
    });
    const telemetry: string[] = [];
    collector.on('message', (topic) => telemetry.push(topic));
    await collector.subscribeAsync(`pantau/v1/site/${SITE}/telemetry`, { qos: 1 });
    const env = (caFile: string, dataDir: string) => ({
      PANTAU_SITE_ID: SITE,
      PANTAU_MQTT_URL: broker.sitesTlsUrl,
      PANTAU_MQTT_CA_FILE: caFile,
      PANTAU_MQTT_USERNAME: SITE,
      PANTAU_MQTT_PASSWORD: broker.password(SITE),
      PANTAU_MQTT_START_DELAY_MAX_MS: '0',
      PANTAU_SAMPLE_INTERVAL_SEC: '1',
      PANTAU_DELIVERY_INTERVAL_SEC: '1',
      PANTAU_DATA_DIR: dataDir,
      PANTAU_LOG_LEVEL: 'info',
    });
    let agent: AgentProcess | null = null;
    try {
      agent = startAgentProcess(env(broker.pki.wrongCaFile, join(dir, 'data-wrong')));
      const refused = await agent.waitForEvent('mqtt_error', (line) => line.code === 'broker_untrusted');
      expect(refused.msg).toContain('not signed by the CA in mqtt.caFile');
      await agent.waitForEvent('started');
      expect(agent.lines.some((line) => line.event === 'connected')).toBe(false);
      await agent.kill();
      expect(telemetry).toEqual([]);

      agent = startAgentProcess(env(broker.pki.caFile, join(dir, 'data-right')));
      await agent.waitForEvent('connected');
      await waitFor('telemetry through TLS', () => telemetry.length > 0);
    } finally {
      await agent?.kill();
      await collector.endAsync();
    }
  });

  it('the TLS listener refuses TLS 1.1 and speaks TLS 1.2 and 1.3', async () => {
    const port = new URL(broker.sitesTlsUrl).port;
    const handshake = (version: string) =>
      runProgram(
        'openssl',
        [
          's_client',
          `-${version}`,
          // OpenSSL 3 itself refuses TLS 1.1 at its default security level: lowered, so the broker decides.
          '-cipher',
          'DEFAULT@SECLEVEL=0',
          '-CAfile',
          broker.pki.caFile,
          '-verify_return_error',
          '-connect',
          `127.0.0.1:${port}`,
        ],
        { timeoutMs: 20_000 },
      );
    const old = await handshake('tls1_1');
    expect(old.code).not.toBe(0);
    expect(old.stdout + old.stderr).toMatch(/protocol version|no protocols available|wrong version/i);
    for (const version of ['tls1_2', 'tls1_3']) {
      const result = await handshake(version);
      expect(result.stdout).toMatch(/Verify return code: 0 \(ok\)/);
    }
  });
});
