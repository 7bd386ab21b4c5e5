import { readFile } from 'node:fs/promises';
import { createLogger, loadConfig, pantauStrictEnv, type Result, readConfigFile } from '@pantau/shared';
import { probeDepsFor } from './agent.js';
import { createMemoryBudgetStore } from './budget/budget-file.js';
import { createDataBudget } from './budget/data-budget.js';
import { brokerRoundTrip } from './check/broker-round-trip.js';
import { diskSpace } from './check/disk-space.js';
import type { CheckLanguage } from './check/messages.js';
import { renderChecks } from './check/render.js';
import { runChecks } from './check/run-checks.js';
import { AGENT_HELP, parseAgentArgs } from './cli.js';
import { systemClock } from './clock.js';
import { type AgentConfig, agentConfigSchema, agentEnvMap } from './config/schema.js';
import { createSystemPinger } from './probes/latency/pinger.js';
import { createNodePowerIo } from './probes/power/power-io.js';
import { createProbes } from './probes/registry.js';
import { createRealAgent, realHostInfo } from './real-agent.js';
import { createSampler } from './sampler.js';
import { cronScheduler } from './scheduler.js';
import { createLinkState } from './uptime/link-state.js';
import { createTrafficMeter } from './usage/traffic-meter.js';
import { AGENT_VERSION } from './version.js';

/** The only place that wires real IO into the agent and starts it. */
async function main(): Promise<number> {
  const command = parseAgentArgs(process.argv.slice(2), process.env);
  switch (command.kind) {
    case 'help':
      process.stdout.write(AGENT_HELP);
      return 0;
    case 'version':
      process.stdout.write(`${AGENT_VERSION}\n`);
      return 0;
    case 'usage_error':
      process.stderr.write(`pantau-agent: ${command.message}\n\n${AGENT_HELP}`);
      return 2;
    case 'run': {
      const config = await readConfig(command.configPath);
      if (!config.ok) {
        process.stderr.write(`pantau-agent: ${config.message}\n`);
        return 2;
      }
      return run(config.value);
    }
    case 'check': {
      const config = await readConfig(command.configPath);
      if (!config.ok) {
        const line = { id: 'config', ok: false, detail: config.message, code: config.code };
        process.stdout.write(renderChecks([line], command.lang));
        return 2;
      }
      return check(config.value, command.lang);
    }
  }
}

async function readConfig(path: string | undefined): Promise<Result<AgentConfig>> {
  const file = path === undefined ? undefined : await readConfigFile(path, (p) => readFile(p, 'utf8'));
  if (file !== undefined && !file.ok) return file;
  const config = loadConfig(agentConfigSchema, {
    file: file?.value,
    env: process.env,
    envMap: agentEnvMap,
    strictEnv: pantauStrictEnv,
  });
  if (!config.ok) return { ...config, message: `the config is not valid (${config.code}):\n${config.message}` };
  return config;
}

async function run(config: AgentConfig): Promise<number> {
  const agent = createRealAgent(config);
  await agent.start();
  await new Promise<void>((resolve) => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => resolve());
  });
  await agent.stop();
  return 0;
}

/** The technician's self-test: bounded well under 20 s by the probe and broker timeouts. */
async function check(config: AgentConfig, lang: CheckLanguage): Promise<number> {
  const log = createLogger('pantau-agent', 'silent');
  const host = realHostInfo(config);
  const boot = await host.bootId();
  const agentStartMonotonicMs = systemClock.monotonicMs();
  const probes = createProbes(
    config,
    probeDepsFor(
      {
        clock: systemClock,
        host,
        pinger: createSystemPinger(),
        powerIo: createNodePowerIo(),
        log,
        // Probes are only measured, never started: the speed test's schedule is not set up.
        scheduler: cronScheduler,
        random: Math.random,
      },
      {
        agentStartMonotonicMs,
        trafficMeter: createTrafficMeter(),
        // The self-test counts nothing against the site's budget file.
        budget: createDataBudget({
          monthlyBytes: config.budget.monthlyBytes,
          store: createMemoryBudgetStore(),
          clock: systemClock,
          clockSynced: () => host.clockSynced(),
        }),
        batteryVolts: () => null,
        // The self-test is not a run of the agent: it neither reads nor consumes the marker, and
        // has seen no link evidence before its one sample.
        previousRunClean: null,
        linkState: createLinkState(systemClock),
      },
    ),
  );
  const sampler = createSampler({
    probes,
    clock: systemClock,
    host,
    bootId: boot.ok ? boot.value : 'check',
    // The self-test publishes nothing, so it takes no sequence number from the agent.
    nextSeq: () => 0,
    probeTimeoutMs: Math.min(config.sample.probeTimeoutMs, 10_000),
    agentStartMonotonicMs,
    log,
  });
  const lines = await runChecks({
    config,
    sampleOnce: () => sampler.take(),
    brokerRoundTrip: () =>
      brokerRoundTrip({ ...config.mqtt, topicRoot: config.topicRoot, siteId: config.siteId, timeoutMs: 8000 }),
    clockSynced: () => host.clockSynced(),
    diskSpace: () => diskSpace(config.dataDir),
    // A generous 1 KiB per sample the spool holds at its bound (records are deflated, ~0.7 KiB).
    requiredDiskBytes: config.spool.maxSamples * 1024,
  });
  // Let go of devices a probe keeps open (a serial port), so the process can exit.
  await Promise.all(probes.map((p) => p.stop?.().catch(() => {})));
  process.stdout.write(renderChecks(lines, lang));
  return lines.every((l) => l.ok) ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`pantau-agent: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
