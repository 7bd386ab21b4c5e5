#!/usr/bin/env node
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createLogger, loadConfig, readConfigFile } from '@pantau/shared';
import { createAgent } from './agent.js';
import { AGENT_HELP, parseAgentArgs } from './cli.js';
import { systemClock } from './clock.js';
import { agentConfigSchema, agentEnvMap } from './config/schema.js';
import { nodeFileReader } from './host/file-reader.js';
import { createLinuxHostInfo, defaultHostPaths } from './host/host-info.js';
import { createGatewayDetector } from './probes/latency/gateway.js';
import { createSystemPinger } from './probes/latency/pinger.js';
import { createNetConnector } from './probes/latency/tcp-connector.js';
import { cronScheduler } from './scheduler.js';
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
    case 'run':
      return run(command.configPath);
  }
}

async function run(configPath: string | undefined): Promise<number> {
  const file = configPath === undefined ? undefined : await readConfigFile(configPath, (p) => readFile(p, 'utf8'));
  if (file !== undefined && !file.ok) {
    process.stderr.write(`pantau-agent: ${file.message}\n`);
    return 2;
  }
  const config = loadConfig(agentConfigSchema, { file: file?.value, env: process.env, envMap: agentEnvMap });
  if (!config.ok) {
    process.stderr.write(`pantau-agent: the config is not valid (${config.code}):\n${config.message}\n`);
    return 2;
  }
  const log = createLogger('pantau-agent', config.value.log.level);
  const agent = createAgent({
    config: config.value,
    clock: systemClock,
    host: createLinuxHostInfo(nodeFileReader, { ...defaultHostPaths, clockSyncedFile: config.value.clock.syncedFile }),
    pinger: createSystemPinger(),
    scheduler: cronScheduler,
    log,
    randomId: randomUUID,
    connector: createNetConnector(systemClock),
    gatewayDetector: createGatewayDetector(nodeFileReader),
    random: Math.random,
    randomBytes,
    // The power probe will supply the battery; until then a test is never skipped for it.
    batteryVolts: () => null,
  });
  await agent.start();
  await new Promise<void>((resolve) => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => resolve());
  });
  await agent.stop();
  return 0;
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
