import { readFile } from 'node:fs/promises';
import { createLogger, loadConfig, ok, pantauStrictEnv, type Result, readConfigFile } from '@pantau/shared';
import { brokerRoundTrip } from './check/broker-round-trip.js';
import { diskSpace } from './check/disk-space.js';
import type { CheckLanguage } from './check/messages.js';
import { renderChecks } from './check/render.js';
import { runChecks } from './check/run-checks.js';
import { AGENT_HELP, parseAgentArgs } from './cli.js';
import { systemClock } from './clock.js';
import { openAgent } from './compose/open-agent.js';
import { realAgentIo } from './compose/real-io.js';
import { openProbeCheck } from './compose/self-test.js';
import { type AgentConfig, agentConfigSchema, agentEnvMap } from './config/schema.js';
import { type BrokerTrust, readBrokerTrust } from './delivery/mqtt/broker-tls.js';
import { nodeFileReader } from './host/file-reader.js';
import { createServiceNotifier, feedingWatchdog, notifyTargetFromEnv } from './service/sd-notify.js';
import { systemdNotifySend } from './service/systemd-notify.js';
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
      return run(config.value.config, config.value.trust);
    }
    case 'check': {
      const config = await readConfig(command.configPath);
      if (!config.ok) {
        const detail = [{ key: 'detail.text', params: { text: config.message } } as const];
        const line = { id: 'config', ok: false, detail, code: config.code };
        process.stdout.write(renderChecks([line], command.lang));
        return 2;
      }
      return check(config.value.config, config.value.trust, command.lang);
    }
  }
}

/** The config, and the broker's pinned CA it names (read once, here: a bad file stops the start). */
async function readConfig(path: string | undefined): Promise<Result<{ config: AgentConfig; trust: BrokerTrust }>> {
  const file = path === undefined ? undefined : await readConfigFile(path, (p) => readFile(p, 'utf8'));
  if (file !== undefined && !file.ok) return file;
  const config = loadConfig(agentConfigSchema, {
    file: file?.value,
    env: process.env,
    envMap: agentEnvMap,
    strictEnv: pantauStrictEnv,
  });
  if (!config.ok) return { ...config, message: `the config is not valid (${config.code}):\n${config.message}` };
  const trust = await readBrokerTrust(config.value.mqtt.caFile, nodeFileReader);
  if (!trust.ok) return { ...trust, message: `the config is not valid (${trust.code}):\n${trust.message}` };
  return ok({ config: config.value, trust: trust.value });
}

async function run(config: AgentConfig, trust: BrokerTrust): Promise<number> {
  // Heard from the first moment: a stop asked for while the agent opens its data still ends cleanly.
  const stopAsked = new Promise<void>((resolve) => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => resolve());
  });
  const log = createLogger('pantau-agent', config.log.level);
  // Node's own warnings (a deprecation, a listener leak) join the JSON log instead of raw stderr.
  process.removeAllListeners('warning');
  process.on('warning', (warning) => log.warn({ event: 'node_warning', err: warning }, warning.message));
  const intervalMs = config.sample.intervalSec * 1000;
  const notifier = createServiceNotifier({
    target: notifyTargetFromEnv(process.env, process.pid),
    send: systemdNotifySend(),
    clock: systemClock,
    log: log.child({ module: 'systemd' }),
    // Three intervals and a minute: a cycle late by a slow probe or a slow disk is not a hang.
    minWatchdogMs: 3 * intervalMs + 60_000,
  });
  const io = realAgentIo(config, log);
  const agent = await openAgent(config, { ...io, cycles: feedingWatchdog(io.cycles, notifier) }, trust);
  await agent.start();
  await notifier.ready(`sampling every ${config.sample.intervalSec} s`);
  await stopAsked;
  await notifier.stopping();
  await agent.stop();
  return 0;
}

/** The technician's self-test: bounded well under 20 s by the probe and broker timeouts. */
async function check(config: AgentConfig, trust: BrokerTrust, lang: CheckLanguage): Promise<number> {
  const io = realAgentIo(config, createLogger('pantau-agent', 'silent'));
  const probes = await openProbeCheck(config, io);
  const lines = await runChecks({
    config,
    sampleOnce: () => probes.sampleOnce(),
    brokerRoundTrip: () =>
      brokerRoundTrip({
        ...config.mqtt,
        ca: trust.ca,
        topicRoot: config.topicRoot,
        siteId: config.siteId,
        timeoutMs: 8000,
      }),
    clockSynced: () => io.host.clockSynced(),
    diskSpace: () => diskSpace(config.dataDir),
    // A generous 1 KiB per sample the spool holds at its bound (records are deflated: docs/delivery.md).
    requiredDiskBytes: config.spool.maxSamples * 1024,
  });
  // Let go of devices a probe keeps open (a serial port), so the process can exit.
  await probes.stop();
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
