import { readFile } from 'node:fs/promises';
import { createLogger, loadConfig, pantauStrictEnv, type Result, readConfigFile } from '@pantau/shared';
import { brokerRoundTrip } from './check/broker-round-trip.js';
import { diskSpace } from './check/disk-space.js';
import type { CheckLanguage } from './check/messages.js';
import { renderChecks } from './check/render.js';
import { runChecks } from './check/run-checks.js';
import { AGENT_HELP, parseAgentArgs } from './cli.js';
import { openAgent } from './compose/open-agent.js';
import { realAgentIo } from './compose/real-io.js';
import { openProbeCheck } from './compose/self-test.js';
import { type AgentConfig, agentConfigSchema, agentEnvMap } from './config/schema.js';
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
        const detail = [{ key: 'detail.text', params: { text: config.message } } as const];
        const line = { id: 'config', ok: false, detail, code: config.code };
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
  // Heard from the first moment: a stop asked for while the agent opens its data still ends cleanly.
  const stopAsked = new Promise<void>((resolve) => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => resolve());
  });
  const log = createLogger('pantau-agent', config.log.level);
  // Node's own warnings (a deprecation, a listener leak) join the JSON log instead of raw stderr.
  process.removeAllListeners('warning');
  process.on('warning', (warning) => log.warn({ event: 'node_warning', err: warning }, warning.message));
  const agent = await openAgent(config, realAgentIo(config, log));
  await agent.start();
  await stopAsked;
  await agent.stop();
  return 0;
}

/** The technician's self-test: bounded well under 20 s by the probe and broker timeouts. */
async function check(config: AgentConfig, lang: CheckLanguage): Promise<number> {
  const io = realAgentIo(config, createLogger('pantau-agent', 'silent'));
  const probes = await openProbeCheck(config, io);
  const lines = await runChecks({
    config,
    sampleOnce: () => probes.sampleOnce(),
    brokerRoundTrip: () =>
      brokerRoundTrip({ ...config.mqtt, topicRoot: config.topicRoot, siteId: config.siteId, timeoutMs: 8000 }),
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
