import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createLogger, loadConfig, pantauStrictEnv, readConfigFile } from '@pantau/shared';
import { COLLECTOR_HELP, type CollectorCommand, parseCollectorArgs } from './cli.js';
import { createCollector } from './collector.js';
import { formatCompletenessTable } from './commands/completeness.js';
import { formatRejectsTable } from './commands/rejects.js';
import { runReportCommand } from './commands/report-command.js';
import { formatSitesTable } from './commands/sites.js';
import { formatStatsTable } from './commands/stats.js';
import { type CollectorConfig, collectorConfigSchema, collectorEnvMap } from './config/schema.js';
import { runDemo } from './demo.js';
import { openConfiguredStore } from './store/open-store.js';
import type { ReportStore } from './store/store.js';
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
    case 'demo': {
      const parentPid = process.ppid;
      return runDemo({
        dir: command.dir,
        stopAfterSamples: command.samples,
        intervalSec: command.intervalSec,
        agentCommand: command.agent,
        // Run by pnpm (`pnpm demo`), the commands it shows are run through pnpm too.
        collectorCommand: process.env.npm_config_user_agent?.startsWith('pnpm')
          ? 'pnpm exec pantau-collector'
          : 'pantau-collector',
        parentAlive: () => process.ppid === parentPid,
        out: process.stdout,
      });
    }
    case 'serve': {
      const config = await readConfig(command.configPath);
      return config === null ? 2 : serve(config);
    }
    case 'sites':
    case 'stats':
    case 'rejects':
    case 'completeness': {
      const config = await readConfig(command.configPath);
      if (config === null) return 2;
      return report(config, command);
    }
    case 'report':
    case 'export': {
      const config = await readConfig(command.configPath);
      if (config === null) return 2;
      return report(config, command);
    }
  }
}

async function readConfig(path: string | undefined): Promise<CollectorConfig | null> {
  const file = path === undefined ? undefined : await readConfigFile(path, (p) => readFile(p, 'utf8'));
  if (file !== undefined && !file.ok) {
    process.stderr.write(`pantau-collector: ${file.message}\n`);
    return null;
  }
  const config = loadConfig(collectorConfigSchema, {
    file: file?.value,
    env: process.env,
    envMap: collectorEnvMap,
    strictEnv: pantauStrictEnv,
  });
  if (!config.ok) {
    process.stderr.write(`pantau-collector: the config is not valid (${config.code}):\n${config.message}\n`);
    return null;
  }
  return config.value;
}

async function serve(config: CollectorConfig): Promise<number> {
  const log = createLogger('pantau-collector', config.log.level);
  const collector = createCollector({ config, store: await openConfiguredStore(config), log, nowMs: Date.now });
  await collector.start();
  await new Promise<void>((resolve) => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => resolve());
  });
  await collector.stop();
  return 0;
}

type ReadCommand = Extract<CollectorCommand, { kind: 'sites' | 'stats' | 'rejects' | 'completeness' }>;
type ReportCommand = ReadCommand | Extract<CollectorCommand, { kind: 'report' | 'export' }>;

/** The read-only commands: open the configured store (never create a SQLite file), print, close. */
async function report(config: CollectorConfig, command: ReportCommand): Promise<number> {
  const path = command.dbPath ?? config.store.sqlitePath;
  const usePostgres = command.dbPath === undefined && config.store.postgresUrl !== undefined;
  if (!usePostgres && !existsSync(path)) {
    process.stderr.write(
      `pantau-collector: no database at ${path}; start the collector with \`serve\` first, or pass --db\n`,
    );
    return 1;
  }
  const store = await openConfiguredStore(
    // A report reads once: SQLite on this thread, not a worker started for one query.
    usePostgres
      ? config
      : { ...config, store: { ...config.store, sqlitePath: path, postgresUrl: undefined, sqliteWorker: false } },
  );
  try {
    if (command.kind !== 'report' && command.kind !== 'export') {
      process.stdout.write(await reportText(store, command));
      return 0;
    }
    const result = await runReportCommand(command, config, store, {
      readText: (p) => readFile(p, 'utf8'),
      writeFile: (p, data) => writeFile(p, data),
      stdout: (text) => process.stdout.write(text),
      joinPath: join,
      nowMs: Date.now,
    });
    if (!result.ok) {
      process.stderr.write(`pantau-collector: ${result.message} (${result.code})\n`);
      return result.code === 'report_range_invalid' ? 2 : 1;
    }
    process.stderr.write(result.value);
    return 0;
  } finally {
    await store.close();
  }
}

async function reportText(store: ReportStore, command: ReadCommand): Promise<string> {
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  switch (command.kind) {
    case 'sites': {
      const list = await store.listSites();
      return command.json ? json(list) : formatSitesTable(list, Date.now());
    }
    case 'stats': {
      const counters = await store.counters();
      return command.json ? json(counters) : formatStatsTable(counters);
    }
    case 'rejects': {
      const list = await store.listRejects(command.limit);
      return command.json ? json(list) : formatRejectsTable(list);
    }
    case 'completeness': {
      const dayMs = 86_400_000;
      const today = Math.floor(Date.now() / dayMs) * dayMs;
      const days = await store.completeness(command.siteId, today - (command.days - 1) * dayMs, today + dayMs);
      return command.json ? json(days) : formatCompletenessTable(command.siteId, days);
    }
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
