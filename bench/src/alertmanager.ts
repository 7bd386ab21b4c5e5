import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, until } from './servers.js';

/** The Debian `prometheus-alertmanager` binary; .ci/run installs it. The tests and bench:alerts start it. */
export const ALERTMANAGER_BIN = process.env.ALERTMANAGER_BIN ?? '/usr/bin/prometheus-alertmanager';

export interface Alertmanager {
  readonly url: string;
  /** Alerts Alertmanager holds now (GET /api/v2/alerts), optionally filtered by label matchers. */
  alerts(filter?: readonly string[]): Promise<AlertmanagerAlert[]>;
  stop(): Promise<void>;
}

export interface AlertmanagerAlert {
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly status: { readonly state: string };
}

/**
 * A real Alertmanager on a free loopback port, with a temporary config and storage folder and
 * clustering off. `receiverUrl`, when given, is where its route sends notifications (a webhook
 * receiver standing in for the NOC's chat), grouped by kabupaten and kecamatan.
 */
export async function startAlertmanager(options: {
  readonly receiverUrl?: string;
  readonly resolveTimeoutSec?: number;
}): Promise<Alertmanager> {
  const dir = mkdtempSync(join(tmpdir(), 'pantau-alertmanager-'));
  const port = await freePort();
  const receivers =
    options.receiverUrl === undefined
      ? '  - name: noc-chat\n'
      : `  - name: noc-chat\n    webhook_configs:\n      - url: ${options.receiverUrl}\n        send_resolved: true\n`;
  writeFileSync(
    join(dir, 'alertmanager.yml'),
    [
      'global:',
      `  resolve_timeout: ${options.resolveTimeoutSec ?? 300}s`,
      'route:',
      '  receiver: noc-chat',
      '  group_by: [kabupaten, kecamatan, alertname]',
      '  group_wait: 1s',
      '  group_interval: 1s',
      '  repeat_interval: 1h',
      'receivers:',
      receivers,
    ].join('\n'),
  );
  const child: ChildProcess = spawn(
    ALERTMANAGER_BIN,
    [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr = `${stderr}${String(chunk)}`.slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await until(
      `Alertmanager on port ${port}`,
      async () => {
        if (child.exitCode !== null) throw new Error(`alertmanager exited: ${stderr}`);
        const response = await fetch(`${url}/-/ready`).catch(() => null);
        return response?.ok === true;
      },
      60_000,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    async alerts(filter = []) {
      const query = filter.map((f) => `filter=${encodeURIComponent(f)}`).join('&');
      const response = await fetch(`${url}/api/v2/alerts?${query}`);
      if (!response.ok) throw new Error(`GET /api/v2/alerts: ${response.status}`);
      return (await response.json()) as AlertmanagerAlert[];
    },
    stop,
  };
}
