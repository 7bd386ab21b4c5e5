import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUEST, starlinkRequest } from '../../agent/src/probes/terminal/starlink-wire.js';
import { AGENT_MAIN, runBin } from '../helpers/bins.js';
import { answerOk, grpcMessage, startGrpcDish } from '../helpers/grpc-dish.js';
import { type Mosquitto, startMosquitto } from '../helpers/mosquitto.js';
import { freePort } from '../helpers/ports.js';
import { startSnmpd } from '../helpers/snmpd.js';
import { dishStatusResponse, HEALTHY, historyResponse, statusResponse } from '../helpers/starlink.js';

/** `pantau-agent check` as a technician runs it, against a real Mosquitto that wants a password. */
describe('pantau-agent check', () => {
  let mosquitto: Mosquitto;
  let dir: string;

  function siteConfig(overrides: { password?: string; port?: number; extraProbes?: string[] } = {}): string {
    const file = join(dir, `agent-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(
      file,
      [
        'siteId: kutim-sangatta-01',
        `dataDir: ${join(dir, 'data')}`,
        'mqtt:',
        `  url: mqtt://127.0.0.1:${overrides.port ?? mosquitto.port}`,
        '  username: kutim-sangatta-01',
        `  password: ${overrides.password ?? 'rahasia'}`,
        'probes:',
        '  latency:',
        '    detectGateway: false',
        '    targets:',
        '      - { role: noc, host: 127.0.0.1, count: 2 }',
        ...(overrides.extraProbes ?? []),
        'clock:',
        `  syncedFile: ${join(dir, 'synchronized')}`,
        '',
      ].join('\n'),
    );
    return file;
  }

  beforeAll(async () => {
    mosquitto = await startMosquitto({ users: { 'kutim-sangatta-01': 'rahasia' } });
    dir = mkdtempSync(join(tmpdir(), 'pantau-check-'));
    // systemd-timesyncd's marker: the clock counts as synchronised.
    writeFileSync(join(dir, 'synchronized'), '');
  });
  afterAll(() => mosquitto?.stop());

  it('passes on a healthy site, one line per check, in well under 20 s', async () => {
    const started = Date.now();
    const result = await runBin(AGENT_MAIN, ['check', '--config', siteConfig()]);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(result.stdout).toMatch(/^\[ PASS \] config {3}site kutim-sangatta-01/m);
    expect(result.stdout).toMatch(/^\[ PASS \] broker {3}round trip \d+ ms/m);
    expect(result.stdout).toMatch(/^\[ PASS \] clock/m);
    expect(result.stdout).toMatch(/^\[ PASS \] disk {5}\d+ MB free/m);
    expect(result.stdout).toMatch(/^\[ PASS \] latency {2}noc 127\.0\.0\.1 [\d.]+ ms, loss 0 %/m);
    expect(result.stdout).toMatch(/^\[ PASS \] uptime {3}systemUptimeMs/m);
    expect(result.stdout).toMatch(/^\[ PASS \] host {5}.*memAvailableBytes \d+ B.*diskFreeBytes \d+ B.*load1 /m);
    expect(result.stdout).toContain('All checks passed');
    expect(result.code).toBe(0);
  });

  it("shows the router's and the dish's uptime where configured", async () => {
    const dish = await startGrpcDish((stream) => answerOk(stream, dishStatusResponse(3 * 86_400)));
    const snmpd = await startSnmpd();
    try {
      const uptime = [
        '  uptime:',
        `    router: { host: 127.0.0.1, port: ${snmpd.port}, community: ${snmpd.community} }`,
        `    terminal: { kind: starlink, host: 127.0.0.1, port: ${dish.port} }`,
      ];
      const result = await runBin(AGENT_MAIN, ['check', '--config', siteConfig({ extraProbes: uptime })]);
      expect(result.stdout).toMatch(/^\[ PASS \] uptime .*terminalUptimeMs 3 d, routerUptimeMs \d+/m);
      expect(result.code).toBe(0);
    } finally {
      await dish.stop();
      await snmpd.stop();
    }
  });

  it("shows the dish's own view: state, PoP latency, obstruction, alerts, firmware", async () => {
    const status = statusResponse({ ...HEALTHY, alerts: [3, 9] });
    const history = historyResponse({
      counter: 900,
      length: 900,
      perSecond: () => ({ down: 1, up: 1, drop: 0, latency: 30 }),
    });
    const historyAsk = grpcMessage(starlinkRequest(REQUEST.getHistory));
    const dish = await startGrpcDish((stream, _h, body) =>
      answerOk(stream, body.equals(historyAsk) ? history : status),
    );
    try {
      const terminal = ['  terminal:', `    kind: starlink`, `    host: 127.0.0.1`, `    port: ${dish.port}`];
      const result = await runBin(AGENT_MAIN, ['check', '--config', siteConfig({ extraProbes: terminal })]);
      expect(result.stdout).toMatch(
        /^\[ PASS \] terminal .*state connected, popPingLatencyMs 31\.5 ms, .*obstructedPct 1\.25 %.*ethSpeedMbps 1000 Mbit\/s.*alerts is_heating\+thermal_throttle/m,
      );
      expect(result.stdout).toMatch(/^\[ PASS \] uptime .*terminalUptimeMs 24 h/m);
      expect(result.code).toBe(0);
    } finally {
      await dish.stop();
    }
  });

  it('fails the uptime line with the fix when the dish does not answer', async () => {
    const port = await freePort();
    const uptime = ['  uptime:', `    terminal: { kind: starlink, host: 127.0.0.1, port: ${port} }`];
    const result = await runBin(AGENT_MAIN, ['check', '--config', siteConfig({ extraProbes: uptime })]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^\[ FAIL \] uptime {3}terminal_unreachable: systemUptimeMs/m);
    expect(result.stdout).toContain('-> fix: nothing answers at the terminal address');
  });

  it('fails with exit 1 and the fix when the password is wrong, in Bahasa Indonesia', async () => {
    const result = await runBin(AGENT_MAIN, ['check', '--config', siteConfig({ password: 'salah' }), '--lang', 'id']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^\[ GAGAL \] broker/m);
    expect(result.stdout).toContain('-> perbaiki: broker menolak login');
  });

  it('fails when the broker is unreachable, saying what to check', async () => {
    const result = await runBin(AGENT_MAIN, ['check', '--config', siteConfig({ port: 1 })]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^\[ FAIL \] broker {3}connect ECONNREFUSED/m);
    expect(result.stdout).toContain('-> fix: check the link, the broker address in mqtt.url and the port');
  });

  it('shows a broken config as a failed check with its field, and exits 2 as for any bad config', async () => {
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'siteId: Kutim 01\n');
    const result = await runBin(AGENT_MAIN, ['check', '--config', file]);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/^\[ FAIL \] config/m);
    expect(result.stdout).toContain('siteId: a site id is 1-64 characters');
  });
});
