import {
  createDataBudget,
  createLinkState,
  createMemoryBudgetStore,
  createNodePowerIo,
  createTrafficMeter,
  type ProbeDeps,
} from '@pantau/agent';
import { ok } from '@pantau/shared';
import { FakeSnmp } from './fake-snmp.js';
import { FakeClock, FakePinger, fakeFiles, fakeHost, ManualScheduler, silentLogger } from './fakes.js';
import { FakeConnector } from './net-fakes.js';

/** Every probe dependency as a fake (power IO is real but never opened unless a test enables it). */
export function fakeProbeDeps(overrides: Partial<ProbeDeps> = {}): ProbeDeps {
  const clock = overrides.clock ?? new FakeClock();
  return {
    clock,
    host: fakeHost(),
    pinger: new FakePinger({}),
    agentStartMonotonicMs: 0,
    powerIo: createNodePowerIo(),
    files: fakeFiles({}),
    snmp: new FakeSnmp(),
    commands: { run: async () => ({ ok: false, code: 'command_missing', message: 'none' }) },
    trafficMeter: createTrafficMeter(),
    salt: new Uint8Array(16),
    log: silentLogger(),
    connector: new FakeConnector({}),
    gatewayDetector: { detect: async () => ok('192.0.2.1') },
    budget: createDataBudget({
      monthlyBytes: 0,
      store: createMemoryBudgetStore(),
      clock,
      clockSynced: async () => true,
    }),
    scheduler: new ManualScheduler(),
    random: () => 0.5,
    randomBytes: (n) => Buffer.alloc(n, 7),
    batteryVolts: () => null,
    previousRunClean: null,
    linkState: createLinkState(clock),
    grpc: { call: async () => ({ ok: false, code: 'terminal_unreachable', message: 'no terminal in tests' }) },
    ...overrides,
  };
}
