import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSystemPinger } from '../../../agent/src/probes/latency/pinger.js';

/**
 * The `ping` package runs `ping` from PATH. A stand-in that prints what iputils prints lets the
 * parsing be tested for every case without touching DNS or any host.
 */
function fakePingOnPath(output: string, exitCode: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'pantau-fakeping-'));
  const script = join(dir, 'ping');
  writeFileSync(script, `#!/bin/sh\ncat <<'OUT'\n${output}OUT\nexit ${exitCode}\n`);
  chmodSync(script, 0o755);
  return dir;
}

describe('system pinger (ping package + iputils output)', () => {
  let savedPath: string | undefined;
  beforeEach(() => {
    savedPath = process.env.PATH;
  });
  afterEach(() => {
    process.env.PATH = savedPath;
  });

  it('reads replies and the sent count', async () => {
    process.env.PATH = `${fakePingOnPath(
      [
        'PING 10.0.0.1 (10.0.0.1) 56(84) bytes of data.',
        '64 bytes from 10.0.0.1: icmp_seq=1 ttl=64 time=1.50 ms',
        '64 bytes from 10.0.0.1: icmp_seq=3 ttl=64 time=2.50 ms',
        '',
        '--- 10.0.0.1 ping statistics ---',
        '3 packets transmitted, 2 received, 33.3333% packet loss, time 2003ms',
        'rtt min/avg/max/mdev = 1.500/2.000/2.500/0.500 ms',
        '',
      ].join('\n'),
      0,
    )}:${savedPath}`;
    expect(await createSystemPinger().ping({ host: '10.0.0.1', count: 3, timeoutMs: 1000 })).toEqual({
      ok: true,
      sent: 3,
      rttsMs: [1.5, 2.5],
    });
  });

  it('reads 100 % loss as sent with no replies', async () => {
    process.env.PATH = `${fakePingOnPath(
      'PING 10.0.0.9 (10.0.0.9) 56(84) bytes of data.\n\n--- 10.0.0.9 ping statistics ---\n' +
        '3 packets transmitted, 0 received, 100% packet loss, time 2040ms\n\n',
      1,
    )}:${savedPath}`;
    expect(await createSystemPinger().ping({ host: '10.0.0.9', count: 3, timeoutMs: 1000 })).toEqual({
      ok: true,
      sent: 3,
      rttsMs: [],
    });
  });

  it('says host_unresolved when the name does not resolve', async () => {
    process.env.PATH = `${fakePingOnPath('ping: gateway.example: Name or service not known\n', 2)}:${savedPath}`;
    const outcome = await createSystemPinger().ping({ host: 'gateway.example', count: 3, timeoutMs: 1000 });
    expect(outcome).toMatchObject({ ok: false, code: 'host_unresolved' });
  });

  it('says ping_failed with ping’s own words for anything else', async () => {
    process.env.PATH = `${fakePingOnPath('ping: socket: Operation not permitted\n', 2)}:${savedPath}`;
    const outcome = await createSystemPinger().ping({ host: '10.0.0.1', count: 3, timeoutMs: 1000 });
    expect(outcome).toEqual({ ok: false, code: 'ping_failed', message: 'ping: socket: Operation not permitted' });
  });

  it('says ping_missing when there is no ping program', async () => {
    process.env.PATH = mkdtempSync(join(tmpdir(), 'pantau-empty-'));
    const outcome = await createSystemPinger().ping({ host: '127.0.0.1', count: 1, timeoutMs: 1000 });
    expect(outcome).toMatchObject({ ok: false, code: 'ping_missing' });
  });
});
