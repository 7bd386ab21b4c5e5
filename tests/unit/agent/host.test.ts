import { describe, expect, it } from 'vitest';
import { createLinuxHostInfo, defaultHostPaths } from '../../../agent/src/host/host-info.js';
import { createUptimeProbe } from '../../../agent/src/probes/uptime/uptime-probe.js';
import { FakeClock, fakeFiles } from '../../helpers/fakes.js';

describe('Linux host info', () => {
  const files = fakeFiles({
    '/proc/sys/kernel/random/boot_id': '0a079090-f72f-4c7a-b148-233a16d6f73a\n',
    '/proc/uptime': '4711.52 9000.10\n',
    '/run/systemd/timesync/synchronized': '',
  });
  const host = createLinuxHostInfo(files, defaultHostPaths);

  it('reads the boot id, uptime and clock sync', async () => {
    expect(await host.bootId()).toEqual({ ok: true, value: '0a079090-f72f-4c7a-b148-233a16d6f73a' });
    expect(await host.uptimeMs()).toEqual({ ok: true, value: 4_711_520 });
    expect(await host.clockSynced()).toBe(true);
  });

  it('reports missing files as codes, and an unsynced clock as false', async () => {
    const bare = createLinuxHostInfo(fakeFiles({ '/proc/uptime': 'garbage' }), defaultHostPaths);
    expect(await bare.bootId()).toMatchObject({ ok: false, code: 'boot_id_unreadable' });
    expect(await bare.uptimeMs()).toMatchObject({ ok: false, code: 'uptime_unreadable' });
    expect(await bare.clockSynced()).toBe(false);
  });

  it('gives the uptime probe null and a code when /proc/uptime is missing', async () => {
    const bare = createLinuxHostInfo(fakeFiles({}), defaultHostPaths);
    const probe = createUptimeProbe({ host: bare, clock: new FakeClock(0, 100), agentStartMonotonicMs: 0 });
    expect(await probe.measure(new AbortController().signal)).toEqual({
      systemUptimeMs: null,
      agentUptimeMs: 100,
      linkUp: null,
      linkUptimeMs: null,
      previousRunClean: null,
      terminalUptimeMs: null,
      routerUptimeMs: null,
      error: 'uptime_unreadable',
    });
  });
});
