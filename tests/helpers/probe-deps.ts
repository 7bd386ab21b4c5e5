import { createNodePowerIo, createTrafficMeter, type ProbeDeps } from '@pantau/agent';
import { FakeSnmp } from './fake-snmp.js';
import { FakeClock, FakePinger, fakeFiles, fakeHost, silentLogger } from './fakes.js';

/** Every probe dependency as a fake (power IO is real but never opened unless a test enables it). */
export function fakeProbeDeps(overrides: Partial<ProbeDeps> = {}): ProbeDeps {
  return {
    clock: new FakeClock(),
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
    ...overrides,
  };
}
