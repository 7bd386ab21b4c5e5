import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createLogger, type Logger, loadConfig, pantauStrictEnv, readConfigFile } from '@pantau/shared';
import { fetchPoster } from './alerts/sinks/sink.js';
import { COLLECTOR_HELP, type CollectorCommand, parseCollectorArgs } from './cli.js';
import { createCollector, type HealthFeed, type Publish, realEvery } from './collector.js';
import { runAlertsCommand } from './commands/alerts-command.js';
import { formatCompletenessTable } from './commands/completeness.js';
import { formatHealthTable, formatHistory, healthViews } from './commands/health-report.js';
import { runProvision } from './commands/provision-command.js';
import { importSites, setSite } from './commands/registry-commands.js';
import { formatRejectsTable } from './commands/rejects.js';
import { runReportCommand } from './commands/report-command.js';
import { formatSitesTable } from './commands/sites.js';
import { formatStatsTable } from './commands/stats.js';
import { runUserAdd } from './commands/user-command.js';
import { type CollectorConfig, collectorConfigSchema, collectorEnvMap } from './config/schema.js';
import { dashboardAssetDir } from './dashboard/assets.js';
import { runDemo } from './demo.js';
import { createHealthRunner } from './health/health-runner.js';
import { createSunCache } from './health/sun.js';
import { newToken } from './http/access/passwords.js';
import { createPgEvaluator } from './leader/pg-evaluator.js';
import { realProvisionIo } from './provision/real-io.js';
import { openConfiguredStore } from './store/open-store.js';
import type { HealthStores, Store } from './store/store.js';
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
        fleet: command.fleet,
        dashboardDir: dashboardAssetDir(),
        health: (config, store, log) => (publish) => healthRunnerFor(config, log)(publish, store),
        // Run by pnpm (`pnpm demo`), the commands it shows are run through pnpm too.
        collectorCommand: process.env.npm_config_user_agent?.startsWith('pnpm')
          ? 'pnpm exec pantau-collector'
          : 'pantau-collector',
        parentAlive: () => process.ppid === parentPid,
        out: process.stdout,
      });
    }
    case 'user_add': {
      const result = await runUserAdd(command.args, {
        readPassword: () => readPassword(process.env.PANTAU_NEW_PASSWORD),
        newToken,
      });
      process.stdout.write(result.out);
      process.stderr.write(result.err);
      return result.code;
    }
    case 'serve': {
      const config = await readConfig(command.configPath);
      return config === null ? 2 : serve(config);
    }
    case 'sites':
    case 'stats':
    case 'rejects':
    case 'completeness':
    case 'health': {
      const config = await readConfig(command.configPath);
      if (config === null) return 2;
      return report(config, command);
    }
    case 'sites_import':
    case 'sites_set':
    case 'provision':
    case 'alerts': {
      const config = await readConfig(command.configPath);
      if (config === null) return 2;
      return operate(config, command);
    }
    case 'report':
    case 'export': {
      const config = await readConfig(command.configPath);
      if (config === null) return 2;
      return report(config, command);
    }
  }
}

type OperatorCommand = Extract<CollectorCommand, { kind: 'sites_import' | 'sites_set' | 'provision' | 'alerts' }>;

/** Commands that change the registry or the alert controls: the store is created if need be. */
async function operate(config: CollectorConfig, command: OperatorCommand): Promise<number> {
  let text = '';
  if (command.kind === 'sites_import') {
    try {
      text = await readFile(command.file, 'utf8');
    } catch (error) {
      process.stderr.write(`pantau-collector: cannot read ${command.file}: ${(error as Error).message}\n`);
      return 1;
    }
  }
  const store = await openConfiguredStore(commandStoreConfig(config, command.dbPath));
  try {
    const result =
      command.kind === 'sites_import'
        ? await importSites(store, command.file, text)
        : command.kind === 'sites_set'
          ? await setSite(store, command.siteId, command.assignments)
          : command.kind === 'provision'
            ? await runProvision(command.args, {
                registry: store,
                config: config.provision,
                topicRoot: config.topicRoot,
                io: realProvisionIo(config.provision),
                nowMs: Date.now,
              })
            : await runAlertsCommand(store, command.action, command.json, Date.now());
    process.stdout.write(result.out);
    process.stderr.write(result.err);
    return result.code;
  } finally {
    await store.close();
  }
}

/** A command reads or writes once: SQLite on this thread (not a worker started for one query). */
function commandStoreConfig(config: CollectorConfig, dbPath: string | undefined): CollectorConfig {
  if (dbPath === undefined && config.store.postgresUrl !== undefined) return config;
  const sqlitePath = dbPath ?? config.store.sqlitePath;
  return { ...config, store: { ...config.store, sqlitePath, postgresUrl: undefined, sqliteWorker: false } };
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

/** The first line of standard input, unless the environment gives the password. */
async function readPassword(fromEnv: string | undefined): Promise<string | null> {
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (process.stdin.isTTY) process.stderr.write('password: ');
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  const line = text.split(/\r?\n/)[0] ?? '';
  return line === '' ? null : line;
}

/** The SQLite file and its write-ahead log; null on PostgreSQL (its size is the server's to report). */
function sqliteBytes(config: CollectorConfig): () => Promise<number | null> {
  if (config.store.postgresUrl !== undefined) return async () => null;
  const path = config.store.sqlitePath;
  return async () => {
    const sizes = await Promise.all(
      [path, `${path}-wal`].map((p) =>
        stat(p).then(
          (s) => s.size,
          () => 0,
        ),
      ),
    );
    return sizes.reduce((a, b) => a + b, 0);
  };
}

/** Builds a health runner over the given store (the collector's, or the evaluator's fenced one). */
function healthRunnerFor(config: CollectorConfig, log: Logger) {
  return (publish: Publish, healthStore: HealthStores, handoverWithinMs?: number) =>
    createHealthRunner({
      config: config.health,
      topicRoot: config.topicRoot,
      store: healthStore,
      publisher: { publish: (topic, payload, options) => publish(topic, payload, { retain: options.retain }) },
      poster: fetchPoster,
      userAgent: `pantau-collector/${COLLECTOR_VERSION}`,
      nowMs: Date.now,
      random: Math.random,
      newId: (prefix) => `${prefix}/${randomUUID()}`,
      sun: createSunCache(),
      every: realEvery,
      log: log.child({ module: 'health' }),
      handoverWithinMs,
    });
}

async function serve(config: CollectorConfig): Promise<number> {
  const log = createLogger('pantau-collector', config.log.level);
  const store = await openConfiguredStore(config);
  const runner = healthRunnerFor(config, log);
  const { postgresUrl, lease } = config.store;
  // A leader saves its state every pass; the next takes over at most a lease and a renewal later
  // (twice that, for a loaded machine: a gap that short is no blind spot worth a restart's grace).
  const handoverWithinMs = 2 * (lease.ttlMs + lease.renewMs + config.health.evaluateIntervalSec * 1000);
  const health = (publish: Publish): HealthFeed =>
    postgresUrl === undefined || !lease.enabled
      ? runner(publish, store)
      : createPgEvaluator(
          { connectionString: postgresUrl, holder: `${config.mqtt.clientId}@${hostname()}/${process.pid}`, ...lease },
          {
            store,
            runner: (fenced) => runner(publish, fenced, handoverWithinMs),
            every: realEvery,
            nowMs: Date.now,
            monotonicMs: () => performance.now(),
            log: log.child({ module: 'evaluator' }),
          },
        );
  const collector = createCollector({
    config,
    store,
    log,
    nowMs: Date.now,
    health: config.health.enabled ? health : undefined,
    dashboardDir: dashboardAssetDir(),
    storeBytes: sqliteBytes(config),
  });
  await collector.start();
  await new Promise<void>((resolve) => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => resolve());
  });
  await collector.stop();
  return 0;
}

type ReadCommand = Extract<CollectorCommand, { kind: 'sites' | 'stats' | 'rejects' | 'completeness' | 'health' }>;
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
  const store = await openConfiguredStore(commandStoreConfig(config, command.dbPath));
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

async function reportText(store: Store, command: ReadCommand): Promise<string> {
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  switch (command.kind) {
    case 'sites': {
      const list = await store.listSites();
      const registry = new Map((await store.list()).map((r) => [r.siteId, r]));
      if (!command.json) return formatSitesTable(list, Date.now(), registry);
      const heard = new Set(list.map((s) => s.siteId));
      const silent = [...registry.values()].filter((r) => !heard.has(r.siteId));
      return json([
        ...list.map((s) => ({ ...s, registry: registry.get(s.siteId) ?? null })),
        ...silent.map((r) => ({
          siteId: r.siteId,
          lastSeenMs: null,
          samples: 0,
          lastSample: null,
          status: null,
          registry: r,
        })),
      ]);
    }
    case 'health': {
      const registry = new Map((await store.list()).map((r) => [r.siteId, r]));
      const snapshot = await store.load();
      const views = healthViews(snapshot, registry, command.siteId);
      const now = Date.now();
      const history =
        command.siteId === undefined ? null : await store.history(command.siteId, now - 7 * 86_400_000, now + 1);
      if (command.json) return json({ noc: snapshot.noc, savedAtMs: snapshot.savedAtMs, sites: views, history });
      const text = formatHealthTable(views, registry, now);
      return command.siteId === undefined || history === null ? text : text + formatHistory(command.siteId, history);
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
