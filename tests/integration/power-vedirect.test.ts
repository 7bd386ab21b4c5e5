import { closeSync, openSync, writeSync } from 'node:fs';
import { systemClock } from '@pantau/agent';
import { powerSectionSchema } from '@pantau/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { powerConfigSchema } from '../../agent/src/config/power-schema.js';
import { createNodePowerIo } from '../../agent/src/probes/power/power-io.js';
import { createPowerProbe } from '../../agent/src/probes/power/power-probe.js';
import { silentLogger } from '../helpers/fakes.js';
import { type PtyPair, startPtyPair } from '../helpers/socat.js';
import { hexFrame, mpptFields, veDirectBlock } from '../helpers/vedirect.js';
import { waitFor } from '../helpers/wait.js';

const never = new AbortController().signal;

/** Plays a charger on one end of the pty pair: writes `bytes()` every 100 ms until stopped. */
function charger(path: string, bytes: () => Uint8Array) {
  const fd = openSync(path, 'w');
  const timer = setInterval(() => writeSync(fd, bytes()), 100);
  let stopped = false;
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      closeSync(fd);
    },
  };
}

describe('power probe, VE.Direct over a real pseudo-terminal (socat)', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setup(settings: Record<string, unknown> = {}) {
    const ptys: PtyPair = await startPtyPair();
    cleanups.push(() => ptys.stop());
    const config = powerConfigSchema.parse({
      enabled: true,
      driver: 'vedirect',
      vedirect: { path: ptys.b, maxAgeMs: 1000, waitMs: 1500, ...settings },
      throttled: { source: 'none' },
    });
    const probe = createPowerProbe({ config, io: createNodePowerIo(), clock: systemClock, log: silentLogger() });
    cleanups.push(() => probe.stop());
    return { ptys, probe };
  }

  it('reads the valid block among a bad-checksum block, a HEX frame and garbage', async () => {
    const { ptys, probe } = await setup();
    const device = charger(ptys.a, () =>
      Buffer.concat([
        veDirectBlock(
          [
            ['V', '11000'],
            ['I', '-9999'],
          ],
          { corrupt: true },
        ),
        hexFrame,
        Buffer.from([0x00, 0xff, 0x7f]),
        veDirectBlock(mpptFields),
      ]),
    );
    cleanups.push(() => device.stop());
    const section = await probe.measure(never);
    expect(section).toEqual({
      source: 'vedirect',
      batteryVolts: 12.8,
      batteryAmps: 1.25,
      batteryTempCelsius: null,
      panelVolts: 18.5,
      solarWatts: 16,
      chargeState: 'bulk',
      batteryMaxVoltsToday: null,
      batteryMinVoltsToday: null,
      lowVoltageDisconnectVolts: null,
      chargerError: 0,
      underVoltageNow: null,
      underVoltageSinceBoot: null,
      throttledFlags: null,
      error: null,
    });
    expect(powerSectionSchema.safeParse(section).success).toBe(true);
  });

  it('says vedirect_bad_checksum when every block is corrupt', async () => {
    const { ptys, probe } = await setup();
    const device = charger(ptys.a, () => veDirectBlock(mpptFields, { corrupt: true }));
    cleanups.push(() => device.stop());
    expect(await probe.measure(never)).toMatchObject({ batteryVolts: null, error: 'vedirect_bad_checksum' });
  });

  it('says vedirect_silent for a silent port, and reads again when the charger speaks', async () => {
    const { ptys, probe } = await setup();
    expect(await probe.measure(never)).toMatchObject({ batteryVolts: null, error: 'vedirect_silent' });
    const device = charger(ptys.a, () =>
      veDirectBlock([
        ['V', '12500'],
        ['CS', '5'],
      ]),
    );
    cleanups.push(() => device.stop());
    expect(await probe.measure(never)).toMatchObject({ batteryVolts: 12.5, chargeState: 'float', error: null });
  });

  it('says serial_unavailable for a missing port and when the port goes away', async () => {
    const missing = createPowerProbe({
      config: powerConfigSchema.parse({
        enabled: true,
        driver: 'vedirect',
        vedirect: { path: '/dev/pantau-no-such-tty' },
        throttled: { source: 'none' },
      }),
      io: createNodePowerIo(),
      clock: systemClock,
      log: silentLogger(),
    });
    expect(await missing.measure(never)).toMatchObject({ error: 'serial_unavailable' });

    const { ptys, probe } = await setup();
    const device = charger(ptys.a, () => veDirectBlock(mpptFields));
    cleanups.push(() => device.stop());
    expect(await probe.measure(never)).toMatchObject({ error: null });
    device.stop();
    await ptys.stop(); // the "USB cable" is pulled: the pty disappears
    // The kernel tells the reader a moment later (EIO on the next poll), then a cycle sees it.
    const lost = await waitFor(
      'the port to be seen as gone',
      async () => {
        const section = await probe.measure(never);
        return section.error === 'serial_unavailable' ? section : null;
      },
      5000,
    );
    expect(lost).toMatchObject({ batteryVolts: null, chargeState: null });
    // The next cycle tries to open it again, and the path is gone.
    expect(await probe.measure(never)).toMatchObject({ batteryVolts: null, error: 'serial_unavailable' });
  });
});
