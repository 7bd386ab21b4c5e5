import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { createFileLogger, guard, type Logger, loadConfig } from '@pantau/shared';
import { type Collector, type CollectorDeps, createCollector } from './collector.js';
import { importSites } from './commands/registry-commands.js';
import { formatSitesTable } from './commands/sites.js';
import { type CollectorConfig, collectorConfigSchema } from './config/schema.js';
import { openSqliteStore } from './store/sqlite/sqlite-store.js';
import type { Store } from './store/store.js';

export interface DemoOptions {
  readonly dir: string;
  /** Stop after this many samples are stored (for tests); run until stopped when undefined. */
  readonly stopAfterSamples: number | undefined;
  readonly intervalSec: number;
  /**
   * The agent to start: a path to the `pantau-agent` bin, or its name on PATH. The collector does
   * not depend on the agent's package (a NOC install does not pull the Pi's agent); the checkout's
   * `pnpm demo` passes the workspace's agent.
   */
  readonly agentCommand: string;
  /**
   * A fleet simulator to run beside the agent (a Node script, e.g. the checkout's
   * bench/dist/simulate.js), so the collector shows many sites; none when null.
   */
  readonly fleet: { readonly script: string; readonly sites: number } | null;
  /** The dashboard's built files, served at the HTTP URL (null: none). */
  readonly dashboardDir: string | null;
  /** Site health and alerts over the demo's store, as `serve` runs them (none when absent). */
  readonly health?: ((config: CollectorConfig, store: Store, log: Logger) => CollectorDeps['health']) | undefined;
  /** How the user runs the collector's commands here, for the hints (`pnpm exec pantau-collector`). */
  readonly collectorCommand: string;
  /** False once the process that started the demo is gone (a killed `pnpm`): the demo then stops. */
  readonly parentAlive: () => boolean;
  readonly out: NodeJS.WritableStream;
}

const DEMO_SITE = 'demo-01';
/** What a run leaves in its folder; the next run removes exactly these, and nothing else there. */
const RUN_FILES = [
  'pantau.sqlite',
  'pantau.sqlite-wal',
  'pantau.sqlite-shm',
  'collector.log',
  'agent.log',
  'agent',
  'simulator.log',
  'fleet',
];
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** The agent stops within its flush bound (`delivery.flushOnStopMs`, 5 s); past this it is killed. */
const AGENT_STOP_MS = 15_000;
/** The simulator stops each of its sites the same way, all at once. */
const FLEET_STOP_MS = 30_000;
/** How often the demo says how the simulated fleet is doing. */
const FLEET_REPORT_MS = 60_000;

/**
 * One machine, nothing else installed: the collector with its embedded broker, and a real agent
 * process measuring this machine's uptime and its latency to the collector on loopback. Each run
 * starts fresh. It stops cleanly on Ctrl-C, SIGTERM, a closed terminal, or when its parent dies.
 */
/** The demo's HTTP port when free; another one otherwise (the URL is printed either way). */
const DEMO_HTTP_PORT = 8080;

/**
 * The collector with the API open to anyone on this machine (`http.access.mode: demo`), on port
 * 8080 or, when that is taken, on a free one.
 */
async function startDemoCollector(
  dbPath: string,
  store: Store,
  log: Logger,
  options: Pick<DemoOptions, 'dashboardDir' | 'health'>,
): Promise<Collector> {
  for (const port of [DEMO_HTTP_PORT, 0]) {
    const config = loadConfig(collectorConfigSchema, {
      file: {
        path: 'demo defaults',
        text: JSON.stringify({
          embeddedBroker: { port: 0 },
          store: { sqlitePath: dbPath },
          http: { enabled: true, host: '127.0.0.1', port, access: { mode: 'demo' } },
        }),
      },
      env: {},
      envMap: {},
    });
    if (!config.ok) throw new Error(config.message);
    const collector = createCollector({
      config: config.value,
      store,
      log,
      nowMs: Date.now,
      dashboardDir: options.dashboardDir,
      health: options.health?.(config.value, store, log.child({ module: 'health' })),
    });
    try {
      await collector.start();
      return collector;
    } catch (error) {
      // HTTP listens first in start(), so nothing else has started when its port is taken.
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0) throw error;
    }
  }
  throw new Error('unreachable');
}

export async function runDemo(options: DemoOptions): Promise<number> {
  const dir = resolve(options.dir);
  // Output to a terminal that has gone (SIGHUP) must not stop the clean stop.
  options.out.on('error', () => {});
  const say = (line: string) => options.out.write(`${line}\n`);
  // Paths as the user can type them from here: relative inside this folder, absolute outside it.
  const fromHere = relative(process.cwd(), dir);
  const shown = fromHere === '' ? '.' : fromHere.startsWith('..') ? dir : fromHere;
  if (clearPreviousRun(dir))
    say(`Starting fresh: removed the previous demo's database, agent data and logs in ${shown}.`);
  const dbPath = join(dir, 'pantau.sqlite');
  const log = createFileLogger('pantau-collector', 'info', join(dir, 'collector.log'));
  const store = openSqliteStore(dbPath);
  const collector = await startDemoCollector(dbPath, store, log, options);
  const brokerUrl = collector.brokerUrl ?? '';
  const agent = spawnAgent(options.agentCommand, dir, brokerUrl, options.intervalSec);
  const fleet = options.fleet === null ? null : spawnFleet(options.fleet.script, options.fleet.sites, dir, brokerUrl);

  let finish: (code: number) => void = () => {};
  const finished = new Promise<number>((resolveFinish) => {
    finish = resolveFinish;
  });
  const onSignal = () => finish(0);
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  const onAgentError = (error: Error) => {
    say(`Cannot start the agent \`${options.agentCommand}\` (${error.message}); give its path with --agent.`);
    finish(1);
  };
  const onAgentExit = (code: number | null) => {
    say(`The agent exited unexpectedly (code ${code}); see ${join(shown, 'agent.log')}.`);
    finish(1);
  };
  agent.once('error', onAgentError);
  agent.once('exit', onAgentExit);
  const onFleetExit = (code: number | null) => {
    say(`The fleet simulator exited unexpectedly (code ${code}); see ${join(shown, 'simulator.log')}.`);
    finish(1);
  };
  fleet?.once('exit', onFleetExit);
  say(
    `Pantau demo (pid ${process.pid}): collector with its embedded MQTT broker at ${brokerUrl}; ` +
      `agent for site ${DEMO_SITE} (pid ${agent.pid}).`,
  );
  say(`The agent pings the collector at 127.0.0.1 and reads this machine's uptime every ${options.intervalSec} s.`);
  if (options.fleet !== null) {
    say(
      `Beside it, ${options.fleet.sites} simulated sites in Paser and Kutai Timur (pid ${fleet?.pid}) ` +
        'sample every minute and deliver every 5 minutes through the same agent code.',
    );
  }
  say('Where to look:');
  say(
    `  dashboard, API   ${collector.httpUrl}/   (demo access: anyone is admin; API: ${collector.httpUrl}/openapi.json)`,
  );
  say(
    `  stored samples   ${options.collectorCommand} sites --db ${join(shown, 'pantau.sqlite')}   (add --json for scripts)`,
  );
  say(`  raw messages     mosquitto_sub -h 127.0.0.1 -p ${new URL(brokerUrl).port} -t 'pantau/v1/#' -v`);
  say(
    `  logs             ${join(shown, 'collector.log')}, ${join(shown, 'agent.log')}` +
      (options.fleet === null ? '' : `, ${join(shown, 'simulator.log')}`),
  );
  if (options.fleet !== null) say(`  fleet registry   ${join(shown, 'fleet', 'sites.csv')}`);
  say('Waiting for the first sample (Ctrl-C to stop)...');

  let seen = 0;
  let fleetReportedMs = Date.now();
  const fleetRegistry = options.fleet === null ? null : join(dir, 'fleet', 'sites.csv');
  let registered = false;
  const poll = setInterval(
    guard(log, 'demo_poll', async () => {
      if (!options.parentAlive()) return finish(0);
      // The simulator writes its sites' registry as it starts: imported once, so the dashboard
      // shows them by name and place, and health judges them as registered sites.
      if (fleetRegistry !== null && !registered && existsSync(fleetRegistry)) {
        registered = true;
        const text = readFileSync(fleetRegistry, 'utf8');
        const imported = await importSites(collector.store, join(shown, 'fleet', 'sites.csv'), text);
        say(imported.code === 0 ? `Fleet registry: ${imported.out.trim()}` : imported.err.trim());
      }
      const sites = await collector.store.listSites();
      if (options.fleet !== null && Date.now() - fleetReportedMs >= FLEET_REPORT_MS) {
        fleetReportedMs = Date.now();
        const simulated = sites.filter((s) => s.siteId !== DEMO_SITE);
        const online = simulated.filter((s) => s.status?.state === 'online').length;
        const samples = simulated.reduce((sum, s) => sum + s.samples, 0);
        say(`Fleet: ${online} of ${options.fleet.sites} simulated sites online, ${samples} samples stored.`);
      }
      const site = sites.find((s) => s.siteId === DEMO_SITE);
      if (site === undefined || site.samples <= seen) return;
      seen = site.samples;
      say(`Stored sample #${site.lastSample?.seq} (${seen} so far):`);
      for (const line of formatSitesTable([site], Date.now()).trimEnd().split('\n')) say(`  ${line}`);
      if (options.stopAfterSamples !== undefined && seen >= options.stopAfterSamples) finish(0);
    }),
    500,
  );
  const code = await finished;
  clearInterval(poll);
  say('Stopping the agent and the collector...');
  agent.off('exit', onAgentExit);
  fleet?.off('exit', onFleetExit);
  await Promise.all([stopChild(agent, AGENT_STOP_MS), fleet === null ? null : stopChild(fleet, FLEET_STOP_MS)]);
  await collector.stop();
  for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
  say(code === 0 ? 'Stopped.' : 'Stopped after a failure.');
  return code;
}

/** Removes what a previous run left; says whether there was anything. */
function clearPreviousRun(dir: string): boolean {
  mkdirSync(dir, { recursive: true });
  const found = RUN_FILES.map((name) => join(dir, name)).filter((path) => existsSync(path));
  for (const path of found) rmSync(path, { recursive: true, force: true });
  return found.length > 0;
}

function spawnAgent(command: string, dir: string, brokerUrl: string, intervalSec: number): ChildProcess {
  const logFd = openSync(join(dir, 'agent.log'), 'a');
  // The user's own PANTAU_ variables are for their programs, not for the demo's agent.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('PANTAU_')));
  return spawn(command, ['run'], {
    // Its own process group: a Ctrl-C reaches the demo, which stops the agent first (it delivers
    // what it holds) and the collector after it.
    detached: true,
    stdio: ['ignore', logFd, logFd],
    env: {
      ...env,
      PANTAU_SITE_ID: DEMO_SITE,
      PANTAU_MQTT_URL: brokerUrl,
      PANTAU_DATA_DIR: join(dir, 'agent'),
      PANTAU_SAMPLE_INTERVAL_SEC: String(intervalSec),
      // The demo shows each sample as it is taken: deliver at once, connect without the fleet delay.
      PANTAU_DELIVERY_INTERVAL_SEC: String(intervalSec),
      PANTAU_MQTT_START_DELAY_MAX_MS: '0',
      // One echo: it answers within a second, well inside the shortest interval's probe timeout.
      PANTAU_LATENCY_TARGETS: JSON.stringify([{ role: 'noc', host: '127.0.0.1', count: 1, timeoutMs: 1000 }]),
      // The demo measures this machine only: no probe of the LAN gateway.
      PANTAU_LATENCY_DETECT_GATEWAY: 'false',
      PANTAU_LOG_LEVEL: 'info',
    },
  });
}

function spawnFleet(script: string, sites: number, dir: string, brokerUrl: string): ChildProcess {
  const logFd = openSync(join(dir, 'simulator.log'), 'a');
  const args = ['--broker', brokerUrl, '--sites', String(sites), '--dir', join(dir, 'fleet'), '--status-sec', '60'];
  // Its own process group, as the agent: the demo stops it, so its sites deliver what they hold.
  return spawn(process.execPath, [script, ...args, '--stop-with-parent'], {
    detached: true,
    stdio: ['ignore', logFd, logFd],
  });
}

async function stopChild(child: ChildProcess, killAfterMs: number): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  await exited;
  clearTimeout(timer);
}
