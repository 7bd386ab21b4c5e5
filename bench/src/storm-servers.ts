// bench:storm's servers and child processes: Mosquitto, the collector, their footprint from /proc.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, closeSync, createWriteStream, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { procStats } from './proc-stats.js';
import { freePort } from './servers.js';

export interface Peak {
  rssBytes: number;
  cpuPct: number;
}

/** Peak CPU (over half-second windows) and RSS of a process, read from /proc. */
export function watch(pid: number): { peak: Peak; stop(): void } {
  const peak: Peak = { rssBytes: 0, cpuPct: 0 };
  let last = { cpuMs: procStats(pid).cpuMs, atMs: performance.now() };
  const timer = setInterval(() => {
    try {
      const now = procStats(pid);
      const atMs = performance.now();
      peak.rssBytes = Math.max(peak.rssBytes, now.rssBytes);
      peak.cpuPct = Math.max(peak.cpuPct, ((now.cpuMs - last.cpuMs) / (atMs - last.atMs)) * 100);
      last = { cpuMs: now.cpuMs, atMs };
    } catch {
      // The process has ended.
    }
  }, 500);
  return { peak, stop: () => clearInterval(timer) };
}

/** Mosquitto with the shipped config's limits (deploy/mosquitto/mosquitto.conf), anonymous on loopback. */
export async function startBroker(dir: string): Promise<{ url: string; child: ChildProcess; logPath: string }> {
  const port = await freePort();
  const data = join(dir, 'mosquitto');
  mkdirSync(data, { recursive: true });
  chmodSync(data, 0o777);
  const conf = join(data, 'mosquitto.conf');
  writeFileSync(
    conf,
    [
      'per_listener_settings true',
      'persistence true',
      `persistence_location ${data}/`,
      'autosave_interval 300',
      'persistent_client_expiration 30d',
      'max_queued_messages 4000000',
      'max_queued_bytes 1500000000',
      'memory_limit 3221225472',
      'max_packet_size 1048576',
      // $SYS every 5 s: the run reads the broker's dropped-message and stored-message counters.
      'sys_interval 5',
      // Mosquitto drops to its own user: its log goes through our stderr pipe to a file we own.
      'log_dest stderr',
      'log_type error',
      'log_type warning',
      'log_type notice',
      'log_timestamp_format %H:%M:%S',
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      '',
    ].join('\n'),
  );
  const logPath = join(data, 'mosquitto.log');
  const logFd = openSync(logPath, 'w');
  const child = spawn(process.env.MOSQUITTO_BIN ?? '/usr/sbin/mosquitto', ['-c', conf], {
    stdio: ['ignore', 'ignore', logFd],
  });
  closeSync(logFd);
  running.add(child);
  await new Promise((resolve) => setTimeout(resolve, 500));
  return { url: `mqtt://127.0.0.1:${port}`, child, logPath };
}

/** The collector as its own process (`pantau-collector serve`), SQLite, its log to a file. */
export async function startCollector(
  root: string,
  dir: string,
  brokerUrl: string,
  connections: number,
): Promise<{ child: ChildProcess; dbPath: string; logPath: string; output: () => string }> {
  const dbPath = join(dir, 'pantau.sqlite');
  const config = join(dir, 'collector.json');
  writeFileSync(
    config,
    JSON.stringify({
      mqtt: { url: brokerUrl, clientId: 'pantau-collector-storm', ...(connections > 1 ? { shareGroup: 'noc' } : {}) },
      store: { sqlitePath: dbPath },
      ingest: { connections: connections },
      log: { level: 'info' },
    }),
  );
  const child = spawn(process.execPath, [join(root, 'collector/dist/main.js'), 'serve', '--config', config], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  running.add(child);
  let text = '';
  // The whole log goes to a file (bench:storm --logs keeps it); the tail stays in memory.
  const logPath = join(dir, 'collector.log');
  const file = createWriteStream(logPath);
  child.stdout?.on('data', (chunk) => {
    file.write(chunk);
    text = (text + String(chunk)).slice(-200_000);
  });
  child.once('exit', () => file.end());
  const deadline = Date.now() + 60_000;
  while (!text.includes('"event":"started"')) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the collector did not start:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { child, dbPath, logPath, output: () => text };
}

/** Servers and workers of the run in progress: a Ctrl-C stops them too. */
export const running = new Set<ChildProcess>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const child of running) child.kill('SIGKILL');
    process.exit(130);
  });
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  await exited;
  clearTimeout(timer);
  running.delete(child);
}

/** The broker's $SYS figures (published every `sys_interval`), read once: topic -> number. */
export async function brokerSys(url: string, waitMs = 6000): Promise<Record<string, number>> {
  const client = await mqtt.connectAsync(url, { clientId: `pantau-storm-sys-${process.pid}`, reconnectPeriod: 0 });
  const figures: Record<string, number> = {};
  client.on('message', (topic, payload) => {
    const value = Number.parseFloat(payload.toString());
    if (Number.isFinite(value)) figures[topic.replace('$SYS/broker/', '')] = value;
  });
  await client.subscribeAsync([
    '$SYS/broker/publish/messages/#',
    '$SYS/broker/store/messages/#',
    '$SYS/broker/messages/#',
  ]);
  await new Promise((resolve) => setTimeout(resolve, waitMs));
  await client.endAsync();
  return figures;
}
