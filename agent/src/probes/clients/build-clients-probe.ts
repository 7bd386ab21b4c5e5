import type { Logger } from '@pantau/shared';
import type { Clock } from '../../clock.js';
import type { ClientsConfig } from '../../config/schema.js';
import type { CommandRunner } from '../../host/command-runner.js';
import type { FileReader } from '../../host/file-reader.js';
import type { SnmpClient } from '../../snmp/snmp-client.js';
import { createFailureLog, createWarnLimiter } from '../failure-log.js';
import type { Probe } from '../probe.js';
import type { ClientSource } from './client-source.js';
import { createClientTracker } from './client-tracker.js';
import { type ClientsWarning, createClientsProbe } from './clients-probe.js';
import { createLeasesSource } from './leases-source.js';
import { createNeighbourSource, defaultNeighbourPaths, type NeighbourPaths } from './neighbour-source.js';
import { createSnmpNeighbourSource } from './snmp-neighbours.js';

export interface ClientsProbeIo {
  readonly clock: Clock;
  readonly files: FileReader;
  readonly snmp: SnmpClient;
  readonly commands: CommandRunner;
  /** Random per process: the salt of the identity hashes. */
  readonly salt: Uint8Array;
  readonly log: Logger;
  readonly paths?: NeighbourPaths;
}

const IP_NEIGH_TIMEOUT_MS = 2000;

/** The clients probe from its config: one source, one bounded tracker of salted hashes. */
export function buildClientsProbe(config: ClientsConfig, io: ClientsProbeIo): Probe<'clients'> {
  const log = io.log.child({ module: 'clients' });
  const warn = createWarnLimiter(log, io.clock);
  return createClientsProbe({
    source: clientSource(config, io),
    tracker: createClientTracker({ salt: io.salt, maxTracked: config.maxTracked }),
    clock: io.clock,
    failures: createFailureLog(log, io.clock),
    warn: (event, count, detail) => warn(event, count, warningText(event, detail)),
  });
}

function warningText(event: ClientsWarning, detail: string | undefined): string {
  switch (event) {
    case 'clients_dropped':
      return 'more devices than probes.clients.maxTracked: the least recently seen were forgotten';
    case 'clients_skipped':
      return 'unreadable neighbour or lease entries were skipped';
    case 'clients_partial':
      return `ip -j neigh gave nothing usable (${detail ?? 'unknown'}); counting the ARP table only`;
  }
}

function clientSource(config: ClientsConfig, io: ClientsProbeIo): ClientSource {
  if (config.source === 'snmp' && config.snmp !== undefined) {
    return createSnmpNeighbourSource({
      client: io.snmp,
      target: config.snmp,
      lanIfIndex: config.snmp.lanIfIndex ?? null,
    });
  }
  if (config.source === 'dhcp')
    return createLeasesSource({ files: io.files, clock: io.clock, leasesFile: config.leasesFile });
  return createNeighbourSource({
    files: io.files,
    paths: io.paths ?? defaultNeighbourPaths,
    lanInterface: config.interface ?? null,
    commands: config.ipNeigh ? io.commands : null,
    commandTimeoutMs: IP_NEIGH_TIMEOUT_MS,
  });
}
