#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createLogger, loadConfig, readConfigFile } from '@pantau/shared';
import { COLLECTOR_HELP, type CollectorCommand, parseCollectorArgs } from './cli.js';
import { createCollector } from './collector.js';
import { formatSitesTable } from './commands/sites.js';
import { type CollectorConfig, collectorConfigSchema, collectorEnvMap } from './config/schema.js';
import { runDemo } from './demo.js';
import { openSqliteStore } from './store/sqlite-store.js';
import { COLLECTOR_VERSION } from './version.js';

/** The only place that wires real IO into the collector and starts it. */
async function main(): Promise<number> {
  const command = parseCollectorArgs(process.argv.slice(2), process.env);
  switch (command.kind) {
    case 'help':
      process.stdout.write(COLLECTOR_HELP);
      return 0;
    case 'version':
      process.stdout.write(`${COLLECTOR_VERSION}\n`);
      return 0;
    case 'usage_error':
      process.stderr.write(`pantau-collector: ${command.message}\n\n${COLLECTOR_HELP}`);
      return 2;
    case 'demo':
      return runDemo({
        dir: command.dir,
        stopAfterSamples: command.samples,
        intervalSec: command.intervalSec,
        out: process.stdout,
      });
    case 'serve':
    case 'sites': {
      const config = await readConfig(command.configPath);
      if (config === null) return 2;
      return command.kind === 'serve' ? serve(config) : sites(config, command);
    }
  }
}

async function readConfig(path: string | undefined): Promise<CollectorConfig | null> {
  const file = path === undefined ? undefined : await readConfigFile(path, (p) => readFile(p, 'utf8'));
  if (file !== undefined && !file.ok) {
    process.stderr.write(`pantau-collector: ${file.message}\n`);
    return null;
  }
  const config = loadConfig(collectorConfigSchema, { file: file?.value, env: process.env, envMap: collectorEnvMap });
  if (!config.ok) {
    process.stderr.write(`pantau-collector: the config is not valid (${config.code}):\n${config.message}\n`);
    return null;
  }
  return config.value;
}

async function serve(config: CollectorConfig): Promise<number> {
  const log = createLogger('pantau-collector', config.log.level);
  const collector = createCollector({ config, store: openSqliteStore(config.store.sqlitePath), log, nowMs: Date.now });
  await collector.start();
  await new Promise<void>((resolve) => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => resolve());
  });
  await collector.stop();
  return 0;
}

async function sites(config: CollectorConfig, command: Extract<CollectorCommand, { kind: 'sites' }>): Promise<number> {
  const path = command.dbPath ?? config.store.sqlitePath;
  if (!existsSync(path)) {
    process.stderr.write(
      `pantau-collector: no database at ${path}; start the collector with \`serve\` first, or pass --db\n`,
    );
    return 1;
  }
  const store = openSqliteStore(path);
  try {
    const list = await store.listSites();
    process.stdout.write(command.json ? `${JSON.stringify(list, null, 2)}\n` : formatSitesTable(list, Date.now()));
    return 0;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`pantau-collector: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
