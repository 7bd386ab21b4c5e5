import { agentConfigSchema } from '@pantau/agent';
import { fail, ok } from '@pantau/shared';
import { describe, expect, it } from 'vitest';
import { formatValue } from '../../../agent/src/check/format-section.js';
import { checkCatalogues, placeholdersOf } from '../../../agent/src/check/messages.js';
import { renderChecks } from '../../../agent/src/check/render.js';
import { type CheckDeps, runChecks } from '../../../agent/src/check/run-checks.js';

const config = agentConfigSchema.parse({ siteId: 'kutim-01', dataDir: '/var/lib/pantau' });

function deps(overrides: Partial<CheckDeps> = {}): CheckDeps {
  return {
    config,
    sampleOnce: async () => ({
      seq: 0,
      bootId: 'b',
      wallMs: 0,
      clockSynced: true,
      uptimeMs: 0,
      probes: {
        latency: {
          targets: [
            { role: 'gateway', host: '192.168.1.1', sent: 3, received: 3, lossPct: 0, rttAvgMs: 0.5, error: null },
          ],
          error: null,
        },
        uptime: { systemUptimeMs: 7_200_000, agentUptimeMs: 500, error: null },
      },
    }),
    brokerRoundTrip: async () => ok({ roundTripMs: 42 }),
    clockSynced: async () => true,
    diskSpace: async () => ok({ freeBytes: 2e9 }),
    requiredDiskBytes: 1e7,
    ...overrides,
  };
}

describe('pantau-agent check', () => {
  it('passes every line on a healthy site and shows values with units', async () => {
    const lines = await runChecks(deps());
    expect(lines.map((l) => [l.id, l.ok])).toEqual([
      ['config', true],
      ['broker', true],
      ['clock', true],
      ['disk', true],
      ['latency', true],
      ['uptime', true],
    ]);
    const text = renderChecks(lines, 'en');
    expect(text).toContain('[ PASS ] broker   round trip 42 ms');
    expect(text).toContain('gateway 192.168.1.1 0.5 ms, loss 0 %');
    expect(text).toContain('systemUptimeMs 2 h, agentUptimeMs 500 ms');
    expect(text.trimEnd().endsWith('All checks passed: this site is ready.')).toBe(true);
  });

  it('fails with what to do, in English and in Bahasa Indonesia', async () => {
    const lines = await runChecks(
      deps({
        brokerRoundTrip: async () => fail('broker_refused', 'Connection refused: Not authorized'),
        clockSynced: async () => false,
        diskSpace: async () => ok({ freeBytes: 1e6 }),
      }),
    );
    expect(lines.filter((l) => !l.ok).map((l) => l.code)).toEqual(['broker_refused', 'clock_unsynced', 'disk_low']);
    const en = renderChecks(lines, 'en');
    expect(en).toContain('[ FAIL ] broker   Connection refused: Not authorized');
    expect(en).toContain('-> fix: the broker refused the login: check mqtt.username and mqtt.password');
    const id = renderChecks(lines, 'id');
    expect(id).toContain('[ GAGAL ] broker');
    expect(id).toContain('-> perbaiki: jam belum sinkron');
    expect(id).toContain('Ada pemeriksaan yang gagal');
  });

  it('fails a probe whose target failed, pointing to the error catalogue for codes it has no words for', async () => {
    const lines = await runChecks(
      deps({
        sampleOnce: async () => ({
          seq: 0,
          bootId: 'b',
          wallMs: 0,
          clockSynced: true,
          uptimeMs: 0,
          probes: { power: { source: 'vedirect', error: 'vedirect_silent' } },
        }),
      }),
    );
    const power = lines.find((l) => l.id === 'power');
    expect(power).toMatchObject({ ok: false, code: 'vedirect_silent' });
    expect(renderChecks(lines, 'en')).toContain('see docs/errors.md for code vedirect_silent');
  });

  it('passes a usage probe that has only its first reading, saying traffic comes later', async () => {
    const lines = await runChecks(
      deps({
        sampleOnce: async () => ({
          seq: 0,
          bootId: 'b',
          wallMs: 0,
          clockSynced: true,
          uptimeMs: 0,
          probes: { usage: { source: 'interface', interface: 'eth0', error: 'no_baseline' } },
        }),
      }),
    );
    expect(lines.find((l) => l.id === 'usage')).toMatchObject({ ok: true, code: null });
    expect(renderChecks(lines, 'en')).toContain('traffic shows from the second sample');
  });

  it('formats units from field names', () => {
    expect(formatValue('batteryVolts', 12.7)).toBe('12.7 V');
    expect(formatValue('lossPct', 33.3)).toBe('33.3 %');
    expect(formatValue('peakRxBitsPerSec', 1000)).toBe('1000 bit/s');
    expect(formatValue('rttAvgMs', 12)).toBe('12 ms');
    expect(formatValue('systemUptimeMs', 3 * 86_400_000)).toBe('3 d');
    expect(formatValue('source', 'vedirect')).toBe('vedirect');
  });

  it('says every detail in Bahasa Indonesia with --lang id, not only the labels', async () => {
    const lines = await runChecks(
      deps({ clockSynced: async () => false, diskSpace: async () => ok({ freeBytes: 1e6 }) }),
    );
    const id = renderChecks(lines, 'id');
    expect(id).toContain('lokasi kutim-01, broker mqtt://127.0.0.1:1883, setiap 60 detik');
    expect(id).toContain('pulang-pergi 42 ms lewat mqtt://127.0.0.1:1883');
    expect(id).toContain('[ GAGAL ] jam          belum sinkron');
    expect(id).toContain('1 MB kosong di /var/lib/pantau, spool perlu hingga 10 MB');
    expect(id).toContain('gateway 192.168.1.1 0.5 ms, hilang 0 %');
    for (const english of [
      'round trip',
      ' via ',
      'not synchronised',
      'MB free',
      'the spool needs',
      'loss ',
      'every 60 s',
    ]) {
      expect(id).not.toContain(english);
    }
  });

  it('keeps the columns in line whatever the marks and titles are, in both languages', async () => {
    const lines = await runChecks(
      deps({
        brokerRoundTrip: async () => fail('broker_refused', 'Connection refused: Not authorized'),
        clockSynced: async () => false,
      }),
    );
    for (const lang of ['en', 'id'] as const) {
      const text = renderChecks(lines, lang).split('\n');
      const checkLines = text.filter((l) => l.startsWith('['));
      // Where each line's detail starts: past the mark, the title and two spaces.
      const detailAt = checkLines.map((l) => /^\[ [A-Z]+ +\] \S+ +/.exec(l)?.[0].length);
      expect(new Set(detailAt).size, lang).toBe(1);
      const fixAt = text.filter((l) => l.includes('-> ')).map((l) => l.indexOf('->'));
      expect(fixAt.length).toBeGreaterThan(0);
      expect(new Set([...fixAt, detailAt[0]]).size, lang).toBe(1);
    }
  });

  it('has every self-test text in English and in Bahasa Indonesia, with the same placeholders', () => {
    const en = checkCatalogues.en as Record<string, string>;
    const id = checkCatalogues.id as Record<string, string>;
    expect(Object.keys(id).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en)) {
      expect([key, placeholdersOf(id[key] ?? '')]).toEqual([key, placeholdersOf(en[key] ?? '')]);
      expect(id[key], key).not.toBe('');
    }
  });
});
