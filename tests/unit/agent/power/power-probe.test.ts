import { agentConfigSchema, type PowerIo } from '@pantau/agent';
import { ok, powerSectionSchema } from '@pantau/shared';
import { describe, expect, it } from 'vitest';
import { powerConfigSchema } from '../../../../agent/src/config/power-schema.js';
import { createPowerProbe } from '../../../../agent/src/probes/power/power-probe.js';
import type { PowerDriver } from '../../../../agent/src/probes/power/power-values.js';
import { createProbes } from '../../../../agent/src/probes/registry.js';
import { captureLogger, FakeClock, silentLogger } from '../../../helpers/fakes.js';
import { FakeCommandRunner, FakeSerialOpener, settle } from '../../../helpers/power-fakes.js';
import { fakeProbeDeps } from '../../../helpers/probe-deps.js';
import { mpptFields, veDirectBlock } from '../../../helpers/vedirect.js';

const never = new AbortController().signal;

function io(overrides: Partial<PowerIo> = {}): PowerIo {
  return {
    serial: new FakeSerialOpener(),
    // Not a Pi: no firmware file, no vcgencmd.
    commands: new FakeCommandRunner(),
    sysfs: { readText: async (p) => Promise.reject(new Error(`ENOENT ${p}`)), list: async () => [] },
    ...overrides,
  };
}

const nulls = {
  batteryVolts: null,
  batteryAmps: null,
  batteryTempCelsius: null,
  panelVolts: null,
  solarWatts: null,
  chargeState: null,
  batteryMaxVoltsToday: null,
  batteryMinVoltsToday: null,
  lowVoltageDisconnectVolts: null,
  chargerError: null,
  underVoltageNow: null,
  underVoltageSinceBoot: null,
  throttledFlags: null,
};

describe('power probe', () => {
  it('with driver none gives no battery figures but still the Pi supply flags', async () => {
    const config = powerConfigSchema.parse({ enabled: true });
    const commands = new FakeCommandRunner({ vcgencmd: ok('throttled=0x50005\n') });
    const probe = createPowerProbe({ config, io: io({ commands }), clock: new FakeClock(), log: silentLogger() });
    const section = await probe.measure(never);
    expect(section).toEqual({
      ...nulls,
      source: 'none',
      underVoltageNow: true,
      underVoltageSinceBoot: true,
      throttledFlags: 0x50005,
      error: null,
    });
    expect(powerSectionSchema.parse(section)).toEqual(section);
  });

  it('on a failed read gives null figures and the code, and logs each code at most once per interval', async () => {
    const clock = new FakeClock();
    const { log, lines } = captureLogger();
    const config = powerConfigSchema.parse({ enabled: true, driver: 'vedirect', errorLogIntervalMs: 600_000 });
    const serial = new FakeSerialOpener();
    serial.available = false;
    const probe = createPowerProbe({ config, io: io({ serial }), clock, log });
    for (let cycle = 0; cycle < 5; cycle++) {
      expect(await probe.measure(never)).toEqual({ ...nulls, source: 'vedirect', error: 'serial_unavailable' });
      clock.advance(60_000);
    }
    const warnings = () => lines.filter((l) => l.event === 'probe_failed');
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toMatchObject({ code: 'serial_unavailable', driver: 'vedirect', suppressed: 0 });
    clock.advance(600_000);
    await probe.measure(never);
    expect(warnings()).toHaveLength(2);
    expect(warnings()[1]).toMatchObject({ suppressed: 4 });
    // The next cycle tries again: a port that came back is read.
    serial.available = true;
    serial.onOpen = (port) => setImmediate(() => port.emit(veDirectBlock(mpptFields)));
    expect(await probe.measure(never)).toMatchObject({ batteryVolts: 12.8, chargeState: 'bulk', error: null });
    expect(serial.opened).toHaveLength(1);
  });

  it('never stalls the cycle: a hung driver ends in probe_timeout at its own timeout', async () => {
    const clock = new FakeClock();
    const hung: PowerDriver = { read: () => new Promise(() => {}), stop: async () => {} };
    const config = powerConfigSchema.parse({
      enabled: true,
      driver: 'command',
      command: { file: 'x' },
      timeoutMs: 4000,
    });
    const probe = createPowerProbe({ config, io: io(), clock, log: silentLogger(), driver: hung });
    const measuring = probe.measure(never);
    await settle();
    clock.advance(4000);
    expect(await measuring).toEqual({ ...nulls, source: 'command', error: 'probe_timeout' });
    expect(clock.pendingTimers).toBe(0);
  });

  it('gives up at once when the sampler aborts, telling the driver to stop waiting', async () => {
    const clock = new FakeClock();
    let driverSignal: AbortSignal | null = null;
    const hung: PowerDriver = {
      read: (signal) => {
        driverSignal = signal;
        return new Promise(() => {});
      },
      stop: async () => {},
    };
    const config = powerConfigSchema.parse({ enabled: true, driver: 'hwmon' });
    const probe = createPowerProbe({ config, io: io(), clock, log: silentLogger(), driver: hung });
    const controller = new AbortController();
    const measuring = probe.measure(controller.signal);
    await settle();
    controller.abort();
    expect(await measuring).toMatchObject({ source: 'hwmon', error: 'probe_timeout' });
    expect((driverSignal as AbortSignal | null)?.aborted).toBe(true);
  });
});

describe('power config and registry', () => {
  it('is off by default, with every driver setting defaulted', () => {
    const config = agentConfigSchema.parse({ siteId: 's1' });
    expect(config.probes.power).toMatchObject({
      enabled: false,
      driver: 'none',
      timeoutMs: 5000,
      sysfsRoot: '/sys',
      vedirect: { path: '/dev/ttyUSB0', baudRate: 19_200, maxAgeMs: 10_000 },
      epever: { baudRate: 115_200, unitId: 1 },
      iio: { batteryDividerRatio: 1 },
      throttled: { source: 'auto' },
    });
  });

  it('refuses the command driver without a command, and an unknown driver', () => {
    const noFile = agentConfigSchema.safeParse({
      siteId: 's1',
      probes: { power: { enabled: true, driver: 'command' } },
    });
    expect(noFile.success).toBe(false);
    expect(noFile.error?.issues[0]?.path).toEqual(['probes', 'power', 'command', 'file']);
    expect(agentConfigSchema.safeParse({ siteId: 's1', probes: { power: { driver: 'ups' } } }).success).toBe(false);
  });

  it('adds the power probe when enabled; its stop releases the serial port', async () => {
    const serial = new FakeSerialOpener();
    serial.onOpen = (port) => setImmediate(() => port.emit(veDirectBlock(mpptFields)));
    const config = agentConfigSchema.parse({ siteId: 's1', probes: { power: { enabled: true, driver: 'vedirect' } } });
    const probes = createProbes(config, fakeProbeDeps({ powerIo: io({ serial }) }));
    const power = probes.find((p) => p.name === 'power');
    expect(power).toBeDefined();
    expect(await power?.measure(never)).toMatchObject({ source: 'vedirect', batteryVolts: 12.8 });
    await power?.stop?.();
    expect(serial.last?.closed).toBe(true);
  });
});
