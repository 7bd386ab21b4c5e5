import { createMemoryRegistry, type SiteRecord, type Store, siteRecordSchema } from '@pantau/collector';
import type { SampleInput } from '@pantau/shared';
import { batch, DAY0, insert, MIN, synced } from './store-fixtures.js';

/**
 * A small fleet whose report figures are worked out by hand in report-build.contract.ts, over
 * 2026-11-23 and 2026-11-24 (UTC days; 2026-11-23 is a Monday).
 *
 * - kutim-a (school, LVD 11.5 V, so a warning level of 11.96 V): 60 busy minutes on Monday 10:00,
 *   10 quiet ones from 20:00 (battery 11.9 V, a speed test at 20:05), one sample Tuesday 03:00
 *   (battery 11.7 V) after a hole of 9 sequence numbers.
 * - kutim-b (village office): a sample every minute of both days, a little traffic, never active.
 * - stray: heard once, not registered.
 */
export const REPORT_SITES: SiteRecord[] = [
  {
    siteId: 'kutim-a',
    name: 'SDN 001 Sangatta',
    kabupatenCode: '64.08',
    kabupaten: 'Kutai Timur',
    kecamatanCode: '64.08.05',
    kecamatan: 'Sangatta Utara',
    desaCode: '64.08.05.2001',
    desa: 'Swarga Bara',
    group: 'school',
    latitude: 0.5132,
    longitude: 117.5421,
    lowVoltageDisconnectVolts: 11.5,
  },
  {
    siteId: 'kutim-b',
    name: 'Kantor Desa Long Nah',
    kabupatenCode: '64.08',
    kabupaten: 'Kutai Timur',
    kecamatanCode: '64.08.01',
    kecamatan: 'Muara Ancalong',
    desaCode: '64.08.01.2003',
    desa: 'Long Nah',
    group: 'village_office',
    latitude: 0.3,
    longitude: 116.6,
  },
].map((s) => siteRecordSchema.parse(s));

export const reportRegistry = () => createMemoryRegistry(REPORT_SITES);

function sample(seq: number, minute: number, probes: SampleInput['probes']): SampleInput {
  return synced(seq, minute, { probes: { uptime: { systemUptimeMs: 1, agentUptimeMs: 1 }, ...probes } });
}

const internet = (rttAvgMs: number) => ({
  latency: { targets: [{ role: 'internet' as const, host: '1.1.1.1', rttAvgMs, lossPct: 0 }] },
});

export async function fillReportFixture(store: Store): Promise<void> {
  const a: SampleInput[] = [];
  for (let i = 0; i < 60; i++) {
    a.push(
      sample(1 + i, 10 * 60 + i, {
        ...internet(i < 57 ? 40 : 200),
        usage: { rxBytes: 1_000_000, txBytes: 200_000, agentRxBytes: 0, agentTxBytes: 0 },
        clients: { clientsInterval: i === 30 ? 5 : 3 },
        power: { batteryVolts: 12.5 },
      }),
    );
  }
  for (let i = 0; i < 10; i++) {
    a.push(
      sample(61 + i, 20 * 60 + i, {
        ...internet(50),
        usage: { rxBytes: 0, txBytes: 0, agentRxBytes: 0, agentTxBytes: 0 },
        power: { batteryVolts: 11.9 },
        ...(i === 5 ? { throughput: { endpointHost: 'noc', downBitsPerSec: 20e6, upBitsPerSec: 5e6 } } : {}),
      }),
    );
  }
  a.push(sample(80, 24 * 60 + 3 * 60, { power: { batteryVolts: 11.7 } }));
  for (let i = 0; i < a.length; i += 100)
    await insert(store, batch('kutim-a', a.slice(i, i + 100)), DAY0 + 3 * 86_400_000);
  const b: SampleInput[] = [];
  for (let m = 0; m < 2 * 24 * 60; m++) {
    b.push(
      sample(1 + m, m, {
        usage: { rxBytes: 10_000, txBytes: 0, agentRxBytes: 0, agentTxBytes: 0 },
        clients: { clientsInterval: 1 },
      }),
    );
  }
  for (let i = 0; i < b.length; i += 500)
    await insert(store, batch('kutim-b', b.slice(i, i + 500)), DAY0 + 3 * 86_400_000);
  await insert(store, batch('stray', [sample(1, 600, {})]), DAY0 + 3 * 86_400_000);
  while ((await store.refreshRollups(1000)) > 0) {
    // Until every touched site-day is rolled up.
  }
}

export { DAY0, MIN };
