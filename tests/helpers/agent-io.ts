import { type AgentIo, type CycleSchedule, type CycleTick, mqttJsConnect, nodeSpoolIo } from '@pantau/agent';
import { ok } from '@pantau/shared';
import { createNodePowerIo } from '../../agent/src/probes/power/power-io.js';
import { FakeSnmp } from './fake-snmp.js';
import { FakeClock, FakePinger, fakeFiles, fakeHost, ManualScheduler, silentLogger } from './fakes.js';
import { FakeConnector } from './net-fakes.js';

/** A sample cycle that runs only when the test fires it. */
export class ManualCycles implements CycleSchedule {
  private run: ((tick: CycleTick) => Promise<void>) | null = null;
  start(run: (tick: CycleTick) => Promise<void>): () => void {
    this.run = run;
    return () => {
      this.run = null;
    };
  }
  get running(): boolean {
    return this.run !== null;
  }
  async fire(tick: CycleTick = { skippedCycles: 0, lateMs: 0 }): Promise<void> {
    await this.run?.(tick);
  }
}

/**
 * The agent's outside world as fakes: a fake clock and host, no answers to pings, no files, no
 * SNMP, no terminal, a roomy disk, an inventory that tells nothing, cycles fired by hand. MQTT and the spool's disk writes are the real ones (the
 * tests give the agent a temporary data folder and, where it connects, a real broker).
 */
export function fakeAgentIo(overrides: Partial<AgentIo> = {}): AgentIo & { cycles: CycleSchedule } {
  return {
    clock: new FakeClock(),
    log: silentLogger(),
    host: fakeHost(),
    pinger: new FakePinger({}),
    // Real, but never opened unless a test enables the power probe.
    powerIo: createNodePowerIo(),
    files: fakeFiles({}),
    snmp: new FakeSnmp(),
    commands: { run: async () => ({ ok: false, code: 'command_missing', message: 'none' }) },
    connector: new FakeConnector({}),
    gatewayDetector: { detect: async () => ok('192.0.2.1') },
    grpc: { call: async () => ({ ok: false, code: 'terminal_unreachable', message: 'no terminal in tests' }) },
    calendar: new ManualScheduler(),
    cycles: new ManualCycles(),
    mqtt: mqttJsConnect,
    spoolIo: nodeSpoolIo,
    random: () => 0.5,
    randomBytes: (n) => Buffer.alloc(n, 7),
    randomId: () => 'random-boot',
    disk: { space: async () => ({ freeBytes: 8_000_000_000, totalBytes: 16_000_000_000 }) },
    inventory: {
      read: async () => ({ model: null, revision: null, serial: null, os: null, kernel: null, dataCardBytes: null }),
    },
    ...overrides,
  };
}
