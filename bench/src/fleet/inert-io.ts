import type { ProbeIo } from '@pantau/agent';
import { fail } from '@pantau/shared';

type Unused = Omit<ProbeIo, 'clock' | 'host' | 'random'>;

const absent = (what: string) => `not in the simulator: a virtual site has no ${what}`;

/**
 * The parts of the outside world only the real probes touch. A virtual site's probes are simulated,
 * so none of these is reached; each answers as an absent device would, should one ever be.
 */
export const inertProbeIo: Unused = {
  pinger: { ping: async () => ({ ok: false, code: 'ping_missing', message: absent('ping') }) },
  powerIo: {
    serial: { open: async () => fail('serial_unavailable', absent('serial port')) },
    commands: { run: async () => fail('command_missing', absent('commands')) },
    sysfs: {
      readText: async () => {
        throw new Error(absent('sysfs'));
      },
      list: async () => [],
    },
  },
  files: {
    readText: async () => {
      throw new Error(absent('files'));
    },
    exists: async () => false,
  },
  snmp: {
    get: async () => fail('snmp_timeout', absent('SNMP')),
    walk: async () => fail('snmp_timeout', absent('SNMP')),
  },
  commands: { run: async () => fail('command_missing', absent('commands')) },
  connector: {
    resolve: async () => fail('host_unresolved', absent('DNS')),
    connect: async () => fail('tcp_unreachable', absent('TCP')),
  },
  gatewayDetector: { detect: async () => fail('gateway_unknown', absent('gateway')) },
  grpc: { call: async () => fail('terminal_unreachable', absent('terminal')) },
  calendar: { schedule: () => () => {} },
  randomBytes: (n) => Buffer.alloc(n),
  disk: { space: async () => ({ freeBytes: 8_000_000_000, totalBytes: 16_000_000_000 }) },
  inventory: {
    read: async () => ({ model: null, revision: null, serial: null, os: null, kernel: null, dataCardBytes: null }),
  },
};
