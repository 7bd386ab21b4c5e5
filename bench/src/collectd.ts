import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { procStats } from './proc-stats.js';

export interface CollectdResult {
  readonly cycles: number;
  readonly rssAfterWarmupBytes: number;
  readonly rssEndBytes: number;
  readonly cpuMsPerCycle: number;
  readonly childCpuMsPerCycle: number;
  /** Child processes seen by polling /proc every 50 ms (liboping pings in-process, so 0 is expected). */
  readonly childrenSeen: number;
  readonly threads: number;
}

export const COLLECTD_BIN = '/usr/sbin/collectd';

/**
 * collectd (Debian collectd-core) doing what the agent does: ICMP to the same target (ping plugin,
 * liboping), interface counters, uptime, and publishing to the same broker (mqtt plugin), at the
 * same interval, measured from /proc the same way.
 */
export async function runCollectd(
  dir: string,
  brokerPort: number,
  intervalMs: number,
  warmupCycles: number,
  cycles: number,
  /** Told of the collectd process, so an interrupted bench can stop it. */
  track: (child: ChildProcess) => void = () => {},
): Promise<CollectdResult> {
  const config = join(dir, 'collectd.conf');
  writeFileSync(
    config,
    [
      'Hostname "bench-01"',
      `BaseDir "${dir}"`,
      `PIDFile "${join(dir, 'collectd.pid')}"`,
      'TypesDB "/usr/share/collectd/types.db"',
      `Interval ${intervalMs / 1000}`,
      'LoadPlugin logfile',
      `<Plugin logfile>\n  LogLevel "warning"\n  File "${join(dir, 'collectd.log')}"\n</Plugin>`,
      'LoadPlugin ping',
      `<Plugin ping>\n  Host "127.0.0.1"\n  Interval ${intervalMs / 1000}\n  Timeout 0.9\n</Plugin>`,
      'LoadPlugin interface',
      '<Plugin interface>\n  Interface "lo"\n</Plugin>',
      'LoadPlugin uptime',
      'LoadPlugin mqtt',
      `<Plugin mqtt>\n  <Publish "noc">\n    Host "127.0.0.1"\n    Port ${brokerPort}\n` +
        '    ClientId "collectd-bench"\n    QoS 1\n  </Publish>\n</Plugin>',
      '',
    ].join('\n'),
  );
  const child = spawn(COLLECTD_BIN, ['-f', '-C', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  track(child);
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const pid = child.pid;
  if (pid === undefined)
    throw new Error(`cannot start ${COLLECTD_BIN}: apt-get install collectd-core liboping0 libmosquitto1`);
  const children = new Set<number>();
  const poll = setInterval(() => {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const status = readFileSync(`/proc/${entry}/status`, 'utf8');
        if (/PPid:\s+(\d+)/.exec(status)?.[1] === String(pid)) children.add(Number(entry));
      } catch {
        // The process ended between readdir and read.
      }
    }
  }, 50);
  try {
    await sleep(warmupCycles * intervalMs);
    if (child.exitCode !== null) throw new Error(`collectd exited: ${stderr}`);
    const start = procStats(pid);
    await sleep(cycles * intervalMs);
    const end = procStats(pid);
    return {
      cycles,
      rssAfterWarmupBytes: start.rssBytes,
      rssEndBytes: end.rssBytes,
      cpuMsPerCycle: (end.cpuMs - start.cpuMs) / cycles,
      childCpuMsPerCycle: (end.childCpuMs - start.childCpuMs) / cycles,
      childrenSeen: children.size,
      threads: end.threads,
    };
  } finally {
    clearInterval(poll);
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}
