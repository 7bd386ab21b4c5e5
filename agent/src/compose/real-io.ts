import { randomBytes, randomUUID } from 'node:crypto';
import { statfs } from 'node:fs/promises';
import { createLogger, type Logger } from '@pantau/shared';
import { systemClock } from '../clock.js';
import type { AgentConfig } from '../config/schema.js';
import { mqttJsConnect } from '../delivery/mqtt/mqtt-link.js';
import { nodeSpoolIo } from '../delivery/spool/spool-io.js';
import { execFileRunner } from '../host/command-runner.js';
import { nodeFileReader } from '../host/file-reader.js';
import { createLinuxHostInfo, defaultHostPaths, type HostInfo } from '../host/host-info.js';
import { createSysinfoInventory } from '../host/sysinfo-inventory.js';
import type { DiskStats } from '../probes/host/host-readers.js';
import { createGatewayDetector } from '../probes/latency/gateway.js';
import { createSystemPinger } from '../probes/latency/pinger.js';
import { createNetConnector } from '../probes/latency/tcp-connector.js';
import { createNodePowerIo } from '../probes/power/power-io.js';
import { createHttp2GrpcClient } from '../probes/terminal/grpc-unary.js';
import { createCalendar } from '../schedule/calendar.js';
import { createCycleScheduler } from '../schedule/cycles.js';
import { createNetSnmpClient } from '../snmp/net-snmp-client.js';
import type { AgentIo } from './agent-io.js';

/** statfs(2): the space an unprivileged writer (the agent) may use, and the filesystem's size. */
export const statfsDisk: DiskStats = {
  async space(path) {
    const stats = await statfs(path);
    return { freeBytes: stats.bavail * stats.bsize, totalBytes: stats.blocks * stats.bsize };
  },
};

export function realHostInfo(config: AgentConfig): HostInfo {
  return createLinuxHostInfo(nodeFileReader, { ...defaultHostPaths, clockSyncedFile: config.clock.syncedFile });
}

/** The real world: what `pantau-agent run` and `check` measure and talk to. */
export function realAgentIo(
  config: AgentConfig,
  log: Logger = createLogger('pantau-agent', config.log.level),
): AgentIo {
  const clock = systemClock;
  const host = realHostInfo(config);
  return {
    clock,
    log,
    host,
    pinger: createSystemPinger(),
    powerIo: createNodePowerIo(),
    files: nodeFileReader,
    snmp: createNetSnmpClient(clock),
    commands: execFileRunner,
    connector: createNetConnector(clock),
    gatewayDetector: createGatewayDetector(nodeFileReader),
    grpc: createHttp2GrpcClient(clock),
    calendar: createCalendar({ clock, log }),
    cycles: createCycleScheduler(config.sample.intervalSec * 1000, {
      clock,
      log: log.child({ module: 'cycles' }),
      wallClockTrusted: () => host.clockSynced(),
    }),
    mqtt: mqttJsConnect,
    spoolIo: nodeSpoolIo,
    random: Math.random,
    randomBytes,
    randomId: randomUUID,
    disk: statfsDisk,
    inventory: createSysinfoInventory(config.dataDir),
  };
}
