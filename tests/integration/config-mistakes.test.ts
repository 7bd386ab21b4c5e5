import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AGENT_MAIN, COLLECTOR_MAIN, runBin } from '../helpers/bins.js';

const dir = mkdtempSync(join(tmpdir(), 'pantau-mistakes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The programs as a technician starts them: a mistyped key stops them (exit 2) before anything runs. */
describe('the programs refuse a config with a mistake, naming it and what was meant', () => {
  const agentYaml = () => file('agent.yaml', 'siteId: kutim-01\nmqtt:\n  uri: mqtt://127.0.0.1:1\n');

  it('pantau-agent run exits 2 instead of running on the default broker', async () => {
    const result = await runBin(AGENT_MAIN, ['run', '--config', agentYaml()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `mqtt.uri: unknown key; did you mean mqtt.url? (from file ${dir}/agent.yaml, line 3)`,
    );
  });

  it('pantau-agent check shows it as the failed config line, with exit 2', async () => {
    const result = await runBin(AGENT_MAIN, ['check', '--config', agentYaml()]);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/^\[ FAIL \] config {2}the config is not valid/m);
    expect(result.stdout).toContain('did you mean mqtt.url?');
  });

  it('a mistyped environment variable stops the agent too', async () => {
    const env = { ...process.env, PANTAU_SITE_ID: 'kutim-01', PANTAU_SMAPLE_INTERVAL_SEC: '300' };
    const result = await runBin(AGENT_MAIN, ['run'], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('PANTAU_SMAPLE_INTERVAL_SEC: unknown environment variable; did you mean');
  });

  it('pantau-collector serve and sites exit 2', async () => {
    const yaml = file('collector.yaml', 'store:\n  sqlitPath: /nowhere/pantau.sqlite\n');
    for (const command of ['serve', 'sites']) {
      const result = await runBin(COLLECTOR_MAIN, [command, '--config', yaml]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('store.sqlitPath: unknown key; did you mean store.sqlitePath?');
    }
  });
});
