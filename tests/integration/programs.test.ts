import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AGENT_MAIN, COLLECTOR_MAIN, LOOPBACK_ONLY_AGENT_ENV, runBin } from '../helpers/bins.js';
import { startCollector } from '../helpers/stack.js';
import { waitFor } from '../helpers/wait.js';

const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  }
});

describe('the programs as a user runs them', () => {
  it.each([
    [AGENT_MAIN, 'pantau-agent run'],
    [COLLECTOR_MAIN, 'pantau-collector serve'],
  ])('%s --help explains the commands', async (main, expected) => {
    const result = await runBin(main, ['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(expected);
  });

  it('the agent refuses a broken config with exit 2, naming the field, value and source', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pantau-cfg-'));
    const file = join(dir, 'agent.yaml');
    writeFileSync(file, 'siteId: kutim-01\nsample:\n  intervalSec: 7\n');
    const result = await runBin(AGENT_MAIN, ['run', '--config', file], {
      env: { ...process.env, PANTAU_MQTT_URL: 'broker' },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`sample.intervalSec: an interval must divide 60 s`);
    expect(result.stderr).toContain(`got 7 (from file ${file}, line 3)`);
    expect(result.stderr).toContain('mqtt.url: a broker URL looks like mqtt://host:1883');
    expect(result.stderr).toContain('(from environment PANTAU_MQTT_URL)');
  });

  it('the agent says which config file it cannot read', async () => {
    const result = await runBin(AGENT_MAIN, ['run', '--config', 'no-such-file.yaml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cannot read config file no-such-file.yaml');
  });

  it('without a ping program the agent still delivers samples, with ping_missing', async () => {
    const collector = await startCollector(undefined);
    try {
      // A PATH with node and nothing else: the `ping` package cannot find `ping`.
      const bin = mkdtempSync(join(tmpdir(), 'pantau-noping-'));
      symlinkSync(process.execPath, join(bin, 'node'));
      const dataDir = join(bin, 'data');
      mkdirSync(dataDir);
      const agent = spawn(process.execPath, [AGENT_MAIN, 'run'], {
        stdio: 'ignore',
        env: {
          PATH: bin,
          ...LOOPBACK_ONLY_AGENT_ENV,
          PANTAU_SITE_ID: 'no-ping-01',
          PANTAU_MQTT_URL: collector.brokerUrl ?? '',
          PANTAU_DATA_DIR: dataDir,
          PANTAU_SAMPLE_INTERVAL_SEC: '1',
          PANTAU_DELIVERY_INTERVAL_SEC: '1',
          PANTAU_MQTT_START_DELAY_MAX_MS: '0',
          PANTAU_LATENCY_TARGETS: '[{"role":"noc","host":"127.0.0.1"}]',
        },
      });
      children.push(agent);
      const site = await waitFor('a sample from the agent', async () =>
        (await collector.store.listSites()).find((s) => s.siteId === 'no-ping-01' && s.lastSample !== null),
      );
      expect(site.lastSample?.figures).toMatchObject({ rttNocMs: null, lossNocPct: null });
      expect(site.lastSample?.figures.errors).toContain('latency.noc:ping_missing');
      expect(site.lastSample?.figures.errors).not.toContain('uptime:');
      agent.kill('SIGTERM');
      const [code] = await once(agent, 'exit');
      expect(code).toBe(0);
      await waitFor('the shutdown status', async () =>
        (await collector.store.listSites()).find((s) => s.siteId === 'no-ping-01' && s.status?.reason === 'shutdown'),
      );
    } finally {
      await collector.stop();
    }
  });

  it('sites says so when there is no database yet, instead of creating one', async () => {
    const result = await runBin(COLLECTOR_MAIN, ['sites', '--db', join(tmpdir(), 'pantau-none', 'x.sqlite')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no database at');
  });
});
