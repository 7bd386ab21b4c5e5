import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { agentConfigSchema } from '@pantau/agent';
import {
  acquireLock,
  matchesMosquittoHash,
  type ProvisionConfig,
  passwordEntry,
  provisionConfigSchema,
  provisionSite,
  realProvisionIo,
  reloadBroker,
  revokeSite,
} from '@pantau/collector';
import { DEFAULT_TOPIC_ROOT } from '@pantau/shared';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { site } from '../../../contract/health-fixtures.js';
import { tempDirs } from '../../../helpers/temp-dirs.js';

const dirs = tempDirs();
afterAll(() => dirs.removeAll());

function setup(reloadCommand: readonly string[] = ['true']): { dir: string; config: ProvisionConfig } {
  const dir = dirs.make('provision');
  writeFileSync(join(dir, 'ca.pem'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  writeFileSync(join(dir, 'passwd'), 'pantau-collector:$7$101$aaaa$bbbb\n');
  const config = provisionConfigSchema.parse({
    siteBrokerUrl: 'mqtts://noc.example:8883',
    passwordFile: join(dir, 'passwd'),
    aclFile: join(dir, 'acl'),
    caFile: join(dir, 'ca.pem'),
    outDir: join(dir, 'out'),
    reload: { command: reloadCommand },
  });
  return { dir, config };
}

const request = (siteId: string, rotate = false) => ({
  siteId,
  record: site(siteId, { sampleIntervalSec: 60, deliveryIntervalSec: 300 }),
  rotate,
  topicRoot: DEFAULT_TOPIC_ROOT,
});

describe('provisionSite on real files', () => {
  it("writes a login only the site's password matches, and an agent config the agent's schema accepts", async () => {
    const { config } = setup();
    const done = await provisionSite(request('kutim-sangatta-01'), config, realProvisionIo(config));
    if (!done.ok) throw new Error(done.message);
    const passwords = readFileSync(config.passwordFile, 'utf8');
    expect(passwords.startsWith('pantau-collector:$7$101$aaaa$bbbb\n')).toBe(true);
    expect(matchesMosquittoHash(done.value.password, passwordEntry(passwords, 'kutim-sangatta-01') ?? '')).toBe(true);
    // Readable by the broker's group (it re-reads the file after dropping root), by nobody else.
    const mosquittoGroup = /^mosquitto:/m.test(readFileSync('/etc/group', 'utf8'));
    expect(statSync(config.passwordFile).mode & 0o777).toBe(mosquittoGroup ? 0o640 : 0o600);

    const yamlText = readFileSync(join(done.value.bundleDir, 'agent.yaml'), 'utf8');
    const agent = agentConfigSchema.parse(parse(yamlText));
    expect(agent.siteId).toBe('kutim-sangatta-01');
    expect(agent.mqtt).toMatchObject({
      url: 'mqtts://noc.example:8883',
      caFile: '/etc/pantau/ca.pem',
      username: 'kutim-sangatta-01',
      password: done.value.password,
    });
    expect(agent.delivery.intervalSec).toBe(300);
    expect(statSync(join(done.value.bundleDir, 'agent.yaml')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(done.value.bundleDir, 'ca.pem'), 'utf8')).toBe(readFileSync(config.caFile, 'utf8'));
    expect(readFileSync(join(done.value.bundleDir, 'qr.png')).subarray(1, 4).toString()).toBe('PNG');
    expect(readFileSync(join(done.value.bundleDir, 'qr.svg'), 'utf8')).toContain('<svg');
    expect(readFileSync(join(done.value.bundleDir, 'card.txt'), 'utf8')).toContain(`password  ${done.value.password}`);
    expect(done.value.aclPatternsAdded).toBe(true);
    expect(done.value.reload.ok).toBe(true);
  });

  it('refuses a site that has a login unless --rotate, which replaces only its line', async () => {
    const { config } = setup();
    const io = realProvisionIo(config);
    const first = await provisionSite(request('kutim-sangatta-01'), config, io);
    const other = await provisionSite(request('paser-kuaro-02'), config, io);
    const again = await provisionSite(request('kutim-sangatta-01'), config, io);
    expect(again).toMatchObject({ ok: false, code: 'provision_exists' });
    const before = readFileSync(config.passwordFile, 'utf8');
    const rotated = await provisionSite(request('kutim-sangatta-01', true), config, io);
    if (!first.ok || !other.ok || !rotated.ok) throw new Error('not provisioned');
    expect(rotated.value.rotated).toBe(true);
    const after = readFileSync(config.passwordFile, 'utf8');
    const hashOf = (text: string) => passwordEntry(text, 'kutim-sangatta-01') ?? '';
    expect(matchesMosquittoHash(first.value.password, hashOf(after))).toBe(false);
    expect(matchesMosquittoHash(rotated.value.password, hashOf(after))).toBe(true);
    const untouched = (text: string) => text.split('\n').filter((l) => !l.startsWith('kutim-sangatta-01:'));
    expect(untouched(after)).toEqual(untouched(before));
  });

  it('concurrent provisions take turns on the lock: every site keeps its login', async () => {
    const { config } = setup();
    const sites = Array.from({ length: 8 }, (_, i) => `kutim-site-${i}`);
    const results = await Promise.all(sites.map((s) => provisionSite(request(s), config, realProvisionIo(config))));
    const passwords = readFileSync(config.passwordFile, 'utf8');
    for (const [i, s] of sites.entries()) {
      const r = results[i];
      if (r === undefined || !r.ok) throw new Error(`${s} not provisioned`);
      expect(matchesMosquittoHash(r.value.password, passwordEntry(passwords, s) ?? '')).toBe(true);
    }
    expect(passwords.split('\n').filter((l) => l !== '')).toHaveLength(9);
  });

  it('revoke removes the login and the site files, and again changes nothing', async () => {
    const { config } = setup();
    const io = realProvisionIo(config);
    const done = await provisionSite(request('kutim-sangatta-01'), config, io);
    if (!done.ok) throw new Error(done.message);
    const revoked = await revokeSite('kutim-sangatta-01', config, io);
    expect(revoked).toMatchObject({ ok: true, value: { removed: true, reload: { ok: true } } });
    expect(readFileSync(config.passwordFile, 'utf8')).toBe('pantau-collector:$7$101$aaaa$bbbb\n');
    expect(() => statSync(done.value.bundleDir)).toThrow();
    expect(await revokeSite('kutim-sangatta-01', config, io)).toMatchObject({
      ok: true,
      value: { removed: false, reload: null },
    });
  });

  it('a broker that does not reload is a broker_reload_failed result; the login and files are written', async () => {
    const { config } = setup(['sh', '-c', 'echo mosquitto.service not loaded >&2; exit 5']);
    const done = await provisionSite(request('kutim-sangatta-01'), config, realProvisionIo(config));
    if (!done.ok) throw new Error(done.message);
    expect(done.value.reload).toEqual({
      ok: false,
      code: 'broker_reload_failed',
      message: '`sh -c echo mosquitto.service not loaded >&2; exit 5` exited 5: mosquitto.service not loaded',
    });
    expect(passwordEntry(readFileSync(config.passwordFile, 'utf8'), 'kutim-sangatta-01')).not.toBeNull();
  });

  it('refuses without a site broker URL, with an unreadable CA, and for pantau-* ids, changing nothing', async () => {
    const { config } = setup();
    const io = realProvisionIo(config);
    const { siteBrokerUrl: _, ...noUrl } = config;
    expect(await provisionSite(request('a-site'), noUrl, io)).toMatchObject({ code: 'provision_config_missing' });
    expect(
      await provisionSite(request('a-site'), { ...config, caFile: join(config.outDir, 'none.pem') }, io),
    ).toMatchObject({ code: 'provision_ca_unreadable' });
    expect(await provisionSite(request('pantau-collector-1'), config, io)).toMatchObject({
      code: 'provision_site_reserved',
    });
    expect(readFileSync(config.passwordFile, 'utf8')).toBe('pantau-collector:$7$101$aaaa$bbbb\n');
  });

  it('a file that cannot be written is provision_files_unwritable, not a crash, and leaves no site files', async () => {
    const { dir, config } = setup();
    // The ACL's folder is missing: its patterns cannot be written, after the site's files were.
    const noAclFolder = { ...config, aclFile: join(dir, 'no-such-folder', 'acl') };
    expect(await provisionSite(request('a-site'), noAclFolder, realProvisionIo(noAclFolder))).toMatchObject({
      ok: false,
      code: 'provision_files_unwritable',
    });
    expect(existsSync(join(config.outDir, 'a-site'))).toBe(false);
    expect(passwordEntry(readFileSync(config.passwordFile, 'utf8'), 'a-site')).toBeNull();
    const noFolder = { ...config, passwordFile: join(dir, 'no-such-folder', 'passwd') };
    expect(await provisionSite(request('a-site'), noFolder, realProvisionIo(noFolder))).toMatchObject({
      code: 'provision_files_unwritable',
    });
  });
});

describe('the lock on the broker files', () => {
  const deps = (alive: boolean, clock = { ms: 0 }) => ({
    alive: () => alive,
    sleep: async (ms: number) => {
      clock.ms += ms;
    },
    nowMs: () => clock.ms,
    pid: 4242,
  });

  it('is taken over from a holder that died', async () => {
    const lock = join(dirs.make('lock'), 'passwd.lock');
    writeFileSync(lock, '999999\n');
    const release = await acquireLock(lock, 1000, deps(false));
    expect(release).not.toBeNull();
    expect(readFileSync(lock, 'utf8')).toBe('4242\n');
    await release?.();
    expect(() => statSync(lock)).toThrow();
  });

  it('held by a live process past the wait: null (provision_locked), the holder untouched', async () => {
    const lock = join(dirs.make('lock'), 'passwd.lock');
    writeFileSync(lock, '777\n');
    expect(await acquireLock(lock, 1000, deps(true))).toBeNull();
    expect(readFileSync(lock, 'utf8')).toBe('777\n');
  });
});

describe('the broker reload', () => {
  const none = { readText: async () => null, signal: () => undefined, run: async () => ({ code: 0, stderr: '' }) };

  it('SIGHUPs the process in the pid file', async () => {
    const sent: [number, string][] = [];
    const result = await reloadBroker(
      { pidFile: '/run/mosquitto/mosquitto.pid', command: ['unused'], timeoutSec: 30 },
      { ...none, readText: async () => '1234\n', signal: (pid, signal) => sent.push([pid, signal]) },
    );
    expect(result.ok).toBe(true);
    expect(sent).toEqual([[1234, 'SIGHUP']]);
  });

  it('a missing pid file or a dead process is broker_reload_failed, naming the file', async () => {
    const target = { pidFile: '/run/mosquitto/mosquitto.pid', command: ['unused'], timeoutSec: 30 };
    expect(await reloadBroker(target, none)).toEqual({
      ok: false,
      code: 'broker_reload_failed',
      message: 'no broker process id in /run/mosquitto/mosquitto.pid (no such file)',
    });
    const dead = await reloadBroker(target, {
      ...none,
      readText: async () => '1234',
      signal: () => {
        throw new Error('kill ESRCH');
      },
    });
    expect(dead).toMatchObject({ ok: false, code: 'broker_reload_failed' });
  });

  it('a command that hangs past its time is broker_reload_failed', async () => {
    const result = await reloadBroker(
      { command: ['systemctl', 'reload', 'mosquitto'], timeoutSec: 30 },
      { ...none, run: async () => ({ code: null, stderr: '' }) },
    );
    expect(result).toEqual({
      ok: false,
      code: 'broker_reload_failed',
      message: '`systemctl reload mosquitto` did not finish in 30 s',
    });
  });
});
