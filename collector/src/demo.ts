import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, openSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { shippedAgentLaunch } from '@pantau/agent/launch';
import { createFileLogger, guard, loadConfig } from '@pantau/shared';
import { createCollector } from './collector.js';
import { formatSitesTable } from './commands/sites.js';
import { collectorConfigSchema } from './config/schema.js';
import { openSqliteStore } from './store/sqlite/sqlite-store.js';

export interface DemoOptions {
  readonly dir: string;
  /** Stop after this many samples are stored (for tests); run until Ctrl-C when undefined. */
  readonly stopAfterSamples: number | undefined;
  readonly intervalSec: number;
  readonly out: NodeJS.WritableStream;
}

const DEMO_SITE = 'demo-01';

/**
 * One machine, nothing else installed: the collector with its embedded broker, and a real agent
 * process measuring this machine's uptime and its latency to the collector on loopback.
 */
export async function runDemo(options: DemoOptions): Promise<number> {
  const dir = resolve(options.dir);
  mkdirSync(dir, { recursive: true });
  const say = (line: string) => options.out.write(`${line}\n`);
  const dbPath = join(dir, 'pantau.sqlite');
  const config = loadConfig(collectorConfigSchema, {
    file: {
      path: 'demo defaults',
      text: JSON.stringify({ embeddedBroker: { port: 0 }, store: { sqlitePath: dbPath } }),
    },
    env: {},
    envMap: {},
  });
  if (!config.ok) throw new Error(config.message);
  const log = createFileLogger('pantau-collector', 'info', join(dir, 'collector.log'));
  const collector = createCollector({ config: config.value, store: openSqliteStore(dbPath), log, nowMs: Date.now });
  await collector.start();
  const brokerUrl = collector.brokerUrl ?? '';
  const agent = spawnAgent(dir, brokerUrl, options.intervalSec);
  const shown = relative(process.cwd(), dir) || '.';
  say(
    `Pantau demo: collector with its embedded MQTT broker at ${brokerUrl}; agent for site ${DEMO_SITE} (pid ${agent.pid}).`,
  );
  say(`The agent pings the collector at 127.0.0.1 and reads this machine's uptime every ${options.intervalSec} s.`);
  say('Where to look:');
  say(
    `  stored samples   pnpm exec pantau-collector sites --db ${join(shown, 'pantau.sqlite')}   (add --json for scripts)`,
  );
  say(`  raw messages     mosquitto_sub -h 127.0.0.1 -p ${new URL(brokerUrl).port} -t 'pantau/v1/#' -v`);
  say(`  logs             ${join(shown, 'collector.log')}, ${join(shown, 'agent.log')}`);
  say('Waiting for the first sample (Ctrl-C to stop)...');

  let finish: (code: number) => void = () => {};
  const finished = new Promise<number>((resolveFinish) => {
    finish = resolveFinish;
  });
  const onSignal = () => finish(0);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const onAgentExit = (code: number | null) => {
    say(`The agent exited unexpectedly (code ${code}); see ${join(shown, 'agent.log')}.`);
    finish(1);
  };
  agent.once('exit', onAgentExit);
  let seen = 0;
  const poll = setInterval(
    guard(log, 'demo_poll', async () => {
      const site = (await collector.store.listSites()).find((s) => s.siteId === DEMO_SITE);
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
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  say('Stopping the agent and the collector...');
  agent.off('exit', onAgentExit);
  if (agent.exitCode === null) {
    agent.kill('SIGTERM');
    await once(agent, 'exit');
  }
  await collector.stop();
  return code;
}

function spawnAgent(dir: string, brokerUrl: string, intervalSec: number): ChildProcess {
  // As the bin starts it (its shebang's Node flags), with this process's own node.
  const launch = shippedAgentLaunch();
  const logFd = openSync(join(dir, 'agent.log'), 'a');
  return spawn(process.execPath, [...launch.flags, launch.mainPath, 'run'], {
    stdio: ['ignore', logFd, logFd],
    env: {
      ...process.env,
      ...launch.env,
      PANTAU_CONFIG: '',
      PANTAU_SITE_ID: DEMO_SITE,
      PANTAU_MQTT_URL: brokerUrl,
      PANTAU_DATA_DIR: join(dir, 'agent'),
      PANTAU_SAMPLE_INTERVAL_SEC: String(intervalSec),
      // The demo shows each sample as it is taken: deliver at once, connect without the fleet delay.
      PANTAU_DELIVERY_INTERVAL_SEC: String(intervalSec),
      PANTAU_MQTT_START_DELAY_MAX_MS: '0',
      PANTAU_LATENCY_TARGETS: JSON.stringify([{ role: 'noc', host: '127.0.0.1' }]),
      // The demo measures this machine only: no probe of the LAN gateway.
      PANTAU_LATENCY_DETECT_GATEWAY: 'false',
      PANTAU_LOG_LEVEL: 'info',
    },
  });
}
