import { join } from 'node:path';
import { applyPlausibility, createIngest, openSqliteStore } from '@pantau/collector';
import { MS_PER_DAY, type SampleInput, telemetryBatchSchema } from '@pantau/shared';
import { afterAll, describe, expect, it } from 'vitest';
import { captureLogger } from '../../helpers/fakes.js';
import { tempDirs } from '../../helpers/temp-dirs.js';

const dirs = tempDirs();
afterAll(() => dirs.removeAll());

const NOW = Date.UTC(2026, 10, 23, 12);

/** A synchronised sample taken a minute before NOW with these probes. */
const sample = (seq: number, probes: SampleInput['probes']): SampleInput => ({
  seq,
  bootId: 'b',
  wallMs: NOW - 60_000,
  clockSynced: true,
  uptimeMs: 1000,
  probes,
});
const message = (samples: SampleInput[]) =>
  Buffer.from(JSON.stringify({ v: 1, siteId: 's1', agentVersion: '0.1.0', sentAtMs: NOW, samples }));

const hostile: SampleInput['probes'] = {
  power: { batteryVolts: 1e300, batteryAmps: 3 },
  latency: {
    targets: [
      { role: 'gateway', host: 'g', sent: 3, received: 3, lossPct: 0, rttAvgMs: 1e300 },
      { role: 'internet', host: 'i', sent: 3, received: 3, lossPct: 0, rttAvgMs: 40 },
    ],
  },
};

describe('plausibility at ingest', () => {
  it('stores no implausible figure, so none reaches a roll-up; the plausible ones still do', async () => {
    const store = openSqliteStore(join(dirs.make('plausible'), 'db.sqlite'));
    const ingest = createIngest(
      { topicRoot: 'pantau/v1', maxPayloadBytes: 65_536, quarantineSize: 10 },
      { store, log: captureLogger().log, nowMs: () => NOW },
    );
    await ingest.handle('pantau/v1/site/s1/telemetry', message([sample(1, hostile)]));
    await ingest.handle('pantau/v1/site/s1/telemetry', message([sample(2, { power: { batteryVolts: 12.5 } })]));
    await store.refreshRollups(10);
    const day = Math.floor(NOW / MS_PER_DAY) * MS_PER_DAY;
    const [rollup] = await store.rollups('s1', 'day', day, day + MS_PER_DAY);
    expect(rollup).toMatchObject({ samples: 2, batteryMinVolts: 12.5, batteryMaxVolts: 12.5 });
    expect(rollup?.latency).toEqual({ internet: { p50Ms: 40, p95Ms: 40, samples: 1 } });
    await store.close();
  });

  it('nulls the figure, marks its section, counts it by field, logs it, and stores the sample', async () => {
    const store = openSqliteStore(join(dirs.make('plausible'), 'db.sqlite'));
    const { log, lines } = captureLogger();
    const ingest = createIngest(
      { topicRoot: 'pantau/v1', maxPayloadBytes: 65_536, quarantineSize: 10 },
      { store, log, nowMs: () => NOW },
    );
    const usage = { intervalMs: 60_000, rxBytes: 800_000_000_000, txBytes: 1000 };
    await ingest.handle('pantau/v1/site/s1/telemetry', message([sample(1, { ...hostile, usage })]));
    // The same message again (a redelivery): stored once, counted once.
    await ingest.handle('pantau/v1/site/s1/telemetry', message([sample(1, { ...hostile, usage })]));
    const [site] = await store.listSites();
    expect(site?.lastSample?.figures).toMatchObject({
      batteryVolts: null,
      rttGatewayMs: null,
      rttInternetMs: 40,
      rxBytes: null,
      txBytes: 1000,
    });
    expect(site?.lastSample?.figures.errors).toBe(
      'usage:implausible_value power:implausible_value latency.gateway:implausible_value',
    );
    expect((await store.counters()).implausibleByField).toEqual({
      'latency.rttAvgMs': 1,
      'power.batteryVolts': 1,
      'usage.rxBytes': 1,
    });
    expect(ingest.counters()).toMatchObject({ samplesStored: 1, duplicates: 1, rejected: 0 });
    expect(lines.filter((l) => l.event === 'implausible_value').map((l) => l.field)).toEqual([
      'usage.rxBytes',
      'power.batteryVolts',
      'latency.rttAvgMs',
    ]);
    await store.close();
  });
});

describe('applyPlausibility', () => {
  const parse = (samples: SampleInput[]) =>
    telemetryBatchSchema.parse({ v: 1, siteId: 's1', agentVersion: '0.1.0', sentAtMs: NOW, samples });

  it('returns a plausible batch as it is', () => {
    const batch = parse([
      sample(1, { power: { batteryVolts: 12.6, batteryAmps: -40 }, clients: { clientsInterval: 0 } }),
    ]);
    expect(applyPlausibility(batch)).toEqual({ batch, implausible: [] });
    expect(applyPlausibility(batch).batch).toBe(batch);
  });

  it('keeps an error the section already had, and leaves the batch it was given unchanged', () => {
    const batch = parse([
      sample(1, { power: { batteryVolts: -3, error: 'vedirect_bad_checksum' } }),
      sample(2, { uptime: { systemUptimeMs: 30 * 365 * MS_PER_DAY } }),
    ]);
    const { batch: checked, implausible } = applyPlausibility(batch);
    expect(checked.samples[0]?.probes.power).toMatchObject({ batteryVolts: null, error: 'vedirect_bad_checksum' });
    expect(checked.samples[1]?.probes.uptime).toMatchObject({ systemUptimeMs: null, error: 'implausible_value' });
    expect(implausible).toEqual([
      { sample: 0, field: 'power.batteryVolts' },
      { sample: 1, field: 'uptime.systemUptimeMs' },
    ]);
    expect(batch.samples[0]?.probes.power?.batteryVolts).toBe(-3);
  });

  it('holds byte counts to the fastest link over their own interval', () => {
    // 100 Gbit/s is 12.5 GB a second: 750 GB a minute, 1.08 PB a day.
    const usage = (intervalMs: number | null, rxBytes: number) => sample(1, { usage: { intervalMs, rxBytes } });
    const fields = (s: SampleInput) => applyPlausibility(parse([s])).implausible.map((f) => f.field);
    expect(fields(usage(60_000, 750_000_000_000))).toEqual([]);
    expect(fields(usage(60_000, 750_000_000_001))).toEqual(['usage.rxBytes']);
    expect(fields(usage(null, 750_000_000_001))).toEqual([]);
    expect(fields(usage(null, 2_000_000_000_000_000))).toEqual(['usage.rxBytes']);
    // An interval under a second is judged as a second.
    expect(fields(usage(0, 12_500_000_000))).toEqual([]);
    expect(fields(usage(2 * MS_PER_DAY, 1))).toEqual(['usage.intervalMs']);
  });

  it("holds the terminal's and the host's figures to their ranges too", () => {
    const batch = parse([
      sample(1, {
        terminal: { source: 'starlink', popPingLatencyMs: 1e300, obstructedPct: 12 },
        host: { cpuTempCelsius: 1e6, load1: 0.5 },
      }),
    ]);
    const { batch: checked, implausible } = applyPlausibility(batch);
    expect(checked.samples[0]?.probes.terminal).toMatchObject({
      popPingLatencyMs: null,
      obstructedPct: 12,
      error: 'implausible_value',
    });
    expect(checked.samples[0]?.probes.host).toMatchObject({ cpuTempCelsius: null, load1: 0.5 });
    expect(implausible.map((f) => f.field)).toEqual(['terminal.popPingLatencyMs', 'host.cpuTempCelsius']);
  });
});
