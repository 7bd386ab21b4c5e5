import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { mqttJsConnect } from '@pantau/agent';
import { type Collector, collectorConfigSchema, createCollector, openSqliteStore } from '@pantau/collector';
import { createFileLogger, loadConfig } from '@pantau/shared';
import { createFleet, type Fleet } from './fleet/fleet.js';
import { registryFile } from './fleet/registry-file.js';
import { createScaledClock } from './fleet/sim-clock.js';
import { planFleet } from './fleet/site-plan.js';
import { defaultWorldOptions } from './fleet/site-world.js';
import { MS_PER_DAY } from './fleet/sun.js';

const USAGE = `pnpm simulate [--sites N] [--seed S] [--broker URL] [--speed X] [--start ISO-TIME]
               [--dir DIR] [--registry FILE.csv|FILE.yaml] [--duration-sec S] [--status-sec S]
               [--sample-interval-sec S] [--delivery-interval-sec S] [--outage-chance P] [--cloudy-chance P]
               [--stop-with-parent] [--verbose]`;

const { values } = parseArgs({
  options: {
    sites: { type: 'string', default: '20' },
    seed: { type: 'string', default: '1' },
    broker: { type: 'string' },
    speed: { type: 'string', default: '1' },
    start: { type: 'string' },
    dir: { type: 'string', default: '.pantau-sim' },
    registry: { type: 'string' },
    'duration-sec': { type: 'string' },
    'status-sec': { type: 'string', default: '10' },
    'sample-interval-sec': { type: 'string', default: '60' },
    'delivery-interval-sec': { type: 'string', default: '300' },
    'outage-chance': { type: 'string', default: String(defaultWorldOptions.outageChancePerDay) },
    'cloudy-chance': { type: 'string', default: String(defaultWorldOptions.cloudyDayChance) },
    'stop-with-parent': { type: 'boolean' },
    verbose: { type: 'boolean' },
    help: { type: 'boolean' },
  },
});

function num(name: string, text: string | undefined, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < min || n > max) {
    process.stderr.write(`simulate: --${name} must be a number from ${min} to ${max} (got ${text})\n${USAGE}\n`);
    process.exit(2);
  }
  return n;
}

/**
 * A collector may refuse samples stamped more than a day ahead of its own clock (ingest's time
 * bounds), so a simulation that runs faster than real time starts in the past and stops before it
 * overtakes the present by that much.
 */
const MAX_AHEAD_MS = MS_PER_DAY - 3_600_000;
const FAST_START_BEHIND_MS = 7 * MS_PER_DAY;

async function main(): Promise<number> {
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const sites = Math.round(num('sites', values.sites, 1, 100_000));
  const seed = Math.round(num('seed', values.seed, 0, 2 ** 32 - 1));
  const speed = num('speed', values.speed, 1, 10_000);
  const sampleIntervalSec = num('sample-interval-sec', values['sample-interval-sec'], 1, 3600);
  const deliveryIntervalSec = num('delivery-interval-sec', values['delivery-interval-sec'], sampleIntervalSec, 86_400);
  const statusMs = num('status-sec', values['status-sec'], 1, 86_400) * 1000;
  const durationMs =
    values['duration-sec'] === undefined ? null : num('duration-sec', values['duration-sec'], 1, 1e9) * 1000;
  const startMs =
    values.start !== undefined ? Date.parse(values.start) : speed > 1 ? Date.now() - FAST_START_BEHIND_MS : Date.now();
  if (!Number.isFinite(startMs)) {
    process.stderr.write(`simulate: --start must be a date and time (got ${values.start})\n`);
    return 2;
  }
  const dir = resolve(values.dir);
  // Each run starts fresh: the previous run's site folders, database and logs go.
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const log = createFileLogger(
    'pantau-simulate',
    process.env.SIM_LOG === undefined ? 'warn' : 'info',
    join(dir, 'fleet.log'),
  );

  let collector: Collector | null = null;
  let brokerUrl = values.broker;
  if (brokerUrl === undefined) {
    const config = loadConfig(collectorConfigSchema, {
      file: {
        path: 'simulator defaults',
        text: JSON.stringify({ embeddedBroker: { port: 0 }, store: { sqlitePath: join(dir, 'pantau.sqlite') } }),
      },
      env: {},
      envMap: {},
    });
    if (!config.ok) throw new Error(config.message);
    collector = createCollector({
      config: config.value,
      store: openSqliteStore(join(dir, 'pantau.sqlite')),
      log: createFileLogger('pantau-collector', 'info', join(dir, 'collector.log')),
      nowMs: Date.now,
    });
    await collector.start();
    brokerUrl = collector.brokerUrl ?? '';
  }

  const plans = planFleet(sites, seed);
  const registryPath = resolve(values.registry ?? join(dir, 'sites.csv'));
  // Whole or not at all: the demo imports the file as soon as it appears.
  writeFileSync(`${registryPath}.tmp`, registryFile(registryPath, plans));
  renameSync(`${registryPath}.tmp`, registryPath);
  const clock = createScaledClock(startMs, speed);
  const fleet: Fleet = createFleet(
    {
      plans,
      seed,
      dir: join(dir, 'sites'),
      settings: {
        brokerUrl,
        sampleIntervalSec,
        deliveryIntervalSec,
        jitter: true,
        sampling: true,
        // The publisher's PUBACK wait is on the simulated clock: keep it a few real seconds long.
        mqtt: { keepaliveSec: Math.min(65_535, Math.max(deliveryIntervalSec + 30, Math.ceil(10 * speed))) },
      },
      world: {
        outageChancePerDay: num('outage-chance', values['outage-chance'], 0, 1),
        cloudyDayChance: num('cloudy-chance', values['cloudy-chance'], 0, 1),
      },
    },
    { clock, log, mqtt: mqttJsConnect },
  );
  const say = (line: string) => process.stdout.write(`${line}\n`);
  say(
    `Pantau fleet simulator (pid ${process.pid}): ${sites} sites, seed ${seed}, speed ${speed}x, ` +
      `from ${new Date(startMs).toISOString()}, broker ${brokerUrl}.`,
  );
  say(`Registry of the virtual sites: ${registryPath} (pantau-collector sites import ${registryPath})`);
  if (collector !== null) say(`Stored samples: pnpm exec pantau-collector sites --db ${join(dir, 'pantau.sqlite')}`);
  say(`Sites' data and log: ${join(dir, 'sites')}, ${join(dir, 'fleet.log')}`);

  const cpuStart = process.cpuUsage();
  const realStartMs = performance.now();
  await fleet.start();
  const report = (label: string) => {
    const s = fleet.status();
    const cpu = process.cpuUsage(cpuStart);
    const realSec = (performance.now() - realStartMs) / 1000;
    const rssMb = process.memoryUsage().rss / 1e6;
    say(
      `${label} ${new Date(clock.nowMs()).toISOString().slice(0, 16)}Z powered ${s.powered}/${s.sites}, ` +
        `uplink ${s.uplinkUp}, connected ${s.connected}, samples ${s.samplesTaken} (unsent ${s.spoolDepth}), ` +
        `power cuts ${s.powerCuts}, outages ${s.outages}; RSS ${rssMb.toFixed(0)} MB ` +
        `(${((rssMb * 1000) / s.sites).toFixed(0)} kB a site), CPU ${(((cpu.user + cpu.system) / 1e6 / realSec) * 100).toFixed(0)} %`,
    );
  };

  let finish: (code: number) => void = () => {};
  const finished = new Promise<number>((resolveFinish) => {
    finish = resolveFinish;
  });
  const status = setInterval(() => {
    report('sim');
    if (clock.nowMs() > Date.now() + MAX_AHEAD_MS) {
      say('The simulated time is nearly a day ahead of real time, past what a collector accepts: stopping.');
      finish(0);
    }
  }, statusMs);
  const timeout = durationMs === null ? null : setTimeout(() => finish(0), durationMs);
  // Started by the demo: a demo that dies without stopping it (SIGKILL) leaves it to init.
  const parentPid = process.ppid;
  const orphaned = values['stop-with-parent']
    ? setInterval(() => {
        if (process.ppid !== parentPid) finish(0);
      }, 1000)
    : null;
  const onSignal = () => finish(0);
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const signal of signals) process.on(signal, onSignal);
  const code = await finished;
  clearInterval(status);
  if (timeout !== null) clearTimeout(timeout);
  if (orphaned !== null) clearInterval(orphaned);
  report('end');
  say('Stopping the sites...');
  // Each site's stop delivers for up to 5 s of its clock: real seconds, not accelerated ones.
  clock.setSpeed(1);
  await fleet.stop();
  await collector?.stop();
  for (const signal of signals) process.off(signal, onSignal);
  say('Stopped.');
  return code;
}

process.exitCode = await main();
