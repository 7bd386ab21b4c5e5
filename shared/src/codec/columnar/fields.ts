/**
 * The leaf fields the binary columnar encoding knows by number: a column names its field by its
 * index here (one byte) instead of spelling its path. A field not listed (a newer agent's) still
 * travels, spelled out.
 * FROZEN: both sides must agree on every index forever. Append new fields at the end; never reorder.
 */
export type FieldPath = readonly (string | number)[];

/** Latency targets by position; a site probes a few (gateway, terminal, internet, NOC). */
const TARGETS_KNOWN = 8;
const TARGET_FIELDS = [
  'role',
  'host',
  'method',
  'sent',
  'received',
  'lossPct',
  'rttMinMs',
  'rttAvgMs',
  'rttMaxMs',
  'jitterMs',
  'error',
];

const section = (name: string, fields: readonly string[]): FieldPath[] => [
  ['probes', name],
  ...fields.map((f) => ['probes', name, f]),
];

export const COLUMNAR_FIELDS_V1: readonly FieldPath[] = [
  ['seq'],
  ['bootId'],
  ['wallMs'],
  ['clockSynced'],
  ['uptimeMs'],
  ['probes'],
  ['probes', 'latency'],
  ['probes', 'latency', 'targets'],
  ['probes', 'latency', 'error'],
  ...Array.from({ length: TARGETS_KNOWN }, (_, i) =>
    TARGET_FIELDS.map((f) => ['probes', 'latency', 'targets', i, f]),
  ).flat(),
  ...section('uptime', [
    'systemUptimeMs',
    'agentUptimeMs',
    'linkUp',
    'linkUptimeMs',
    'previousRunClean',
    'terminalUptimeMs',
    'routerUptimeMs',
    'error',
  ]),
  ...section('usage', [
    'source',
    'interface',
    'intervalMs',
    'rxBytes',
    'txBytes',
    'peakRxBitsPerSec',
    'peakTxBitsPerSec',
    'agentRxBytes',
    'agentTxBytes',
    'counterReset',
    'budgetUsedBytes',
    'budgetCapBytes',
    'error',
  ]),
  ...section('clients', ['source', 'clientsInterval', 'clientsHour', 'error']),
  ...section('power', [
    'source',
    'batteryVolts',
    'batteryAmps',
    'batteryTempCelsius',
    'panelVolts',
    'solarWatts',
    'chargeState',
    'batteryMaxVoltsToday',
    'batteryMinVoltsToday',
    'lowVoltageDisconnectVolts',
    'chargerError',
    'underVoltageNow',
    'underVoltageSinceBoot',
    'throttledFlags',
    'error',
  ]),
  ...section('throughput', [
    'endpointHost',
    'downBytes',
    'downMs',
    'downBitsPerSec',
    'upBytes',
    'upMs',
    'upBitsPerSec',
    'error',
  ]),
  ['skippedCycles'],
  ['lateMs'],
  // Appended with the terminal and host probes.
  ...section('terminal', [
    'source',
    'state',
    'popPingLatencyMs',
    'popPingDropPct',
    'obstructed',
    'obstructedPct',
    'obstructionValidSec',
    'snrAboveNoiseFloor',
    'alerts',
    'outageCause',
    'outageDurationMs',
    'ethSpeedMbps',
    'softwareVersion',
    'updatePending',
    'dishBootCount',
    'historyCounter',
    'historySeconds',
    'historyLostSeconds',
    'pingDropSharePct',
    'outageSecondsByCause',
    'lastOutageStartMs',
    'error',
  ]),
  ...section('host', [
    'cpuTempCelsius',
    'memAvailableBytes',
    'memTotalBytes',
    'diskFreeBytes',
    'diskTotalBytes',
    'load1',
    'load5',
    'load15',
    'error',
  ]),
];
