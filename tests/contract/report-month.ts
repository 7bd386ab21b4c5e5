import { seeded } from '@pantau/bench/seeded';
import { createMemoryRegistry, type SiteRecord, type Store, siteRecordSchema } from '@pantau/collector';
import { MS_PER_DAY, MS_PER_HOUR, type SampleInput } from '@pantau/shared';
import { batch, insert } from './store-fixtures.js';

/** 2026-10-31T00:00:00Z: the generated month starts a day before November's first WITA day. */
export const MONTH0 = Date.UTC(2026, 9, 31);
export const MONTH_DAYS = 32;
const STEP_MS = 10 * 60_000;

const record = (siteId: string, group: string, kabupatenCode: string, lvd?: number): SiteRecord =>
  siteRecordSchema.parse({
    siteId,
    name: `Site ${siteId}`,
    kabupatenCode,
    kabupaten: kabupatenCode === '64.08' ? 'Kutai Timur' : 'Paser',
    kecamatanCode: `${kabupatenCode}.01`,
    kecamatan: 'Kecamatan',
    desaCode: `${kabupatenCode}.01.2001`,
    desa: 'Desa',
    group,
    latitude: 0.5,
    longitude: 117,
    ...(lvd === undefined ? {} : { lowVoltageDisconnectVolts: lvd }),
  });

/** Registered: gen-a, gen-b, gen-c, and gen-quiet (never heard). gen-stray is heard but not registered. */
export const monthRegistry = () =>
  createMemoryRegistry([
    record('gen-a', 'school', '64.08', 11.5),
    record('gen-b', 'village_office', '64.08'),
    record('gen-c', 'health_post', '64.01'),
    record('gen-quiet', 'school', '64.01'),
  ]);

interface SiteShape {
  readonly siteId: string;
  readonly role: 'internet' | 'noc' | null;
  readonly battery: boolean;
  readonly fromMs: number;
  readonly toMs: number;
}

const SHAPES: readonly SiteShape[] = [
  { siteId: 'gen-a', role: 'internet', battery: true, fromMs: MONTH0, toMs: MONTH0 + MONTH_DAYS * MS_PER_DAY },
  { siteId: 'gen-b', role: 'noc', battery: false, fromMs: MONTH0, toMs: MONTH0 + MONTH_DAYS * MS_PER_DAY },
  { siteId: 'gen-c', role: null, battery: true, fromMs: MONTH0 + 9.5 * MS_PER_DAY, toMs: MONTH0 + 20 * MS_PER_DAY },
  {
    siteId: 'gen-stray',
    role: 'internet',
    battery: false,
    fromMs: MONTH0 + 3 * MS_PER_DAY,
    toMs: MONTH0 + 5 * MS_PER_DAY,
  },
];

/**
 * A site's month of samples every 10 minutes: busy school hours, outages (no samples), holes in
 * the sequence, nightly speed tests, a battery that sags at night, latency of one role.
 */
function monthSamples(shape: SiteShape, random: () => number): SampleInput[] {
  const samples: SampleInput[] = [];
  let seq = 0;
  let outageLeft = 0;
  for (let ms = shape.fromMs; ms < shape.toMs; ms += STEP_MS) {
    seq += random() < 0.02 ? 2 + Math.floor(random() * 5) : 1;
    if (outageLeft > 0) {
      outageLeft--;
      continue;
    }
    if (random() < 0.004) outageLeft = 6 + Math.floor(random() * 60);
    const localHour = (new Date(ms).getUTCHours() + 8) % 24;
    const busy = localHour >= 8 && localHour < 17 ? random() : random() * 0.1;
    const rtt = 30 + random() * 60 + (random() < 0.05 ? 600 : 0);
    samples.push({
      seq,
      bootId: 'boot-1',
      wallMs: ms,
      clockSynced: true,
      uptimeMs: ms - MONTH0 + MS_PER_HOUR,
      probes: {
        uptime: { systemUptimeMs: ms - MONTH0 + MS_PER_HOUR, agentUptimeMs: 1 },
        usage: {
          rxBytes: Math.round(busy * 3e6),
          txBytes: Math.round(busy * 5e5),
          agentRxBytes: 0,
          agentTxBytes: 0,
        },
        clients: { clientsInterval: Math.round(busy * 25) },
        ...(shape.role === null
          ? {}
          : { latency: { targets: [{ role: shape.role, host: 'h', rttAvgMs: rtt, lossPct: 0 }] } }),
        ...(shape.battery ? { power: { batteryVolts: batteryVolts(ms) } } : {}),
        ...(localHour === 2 && new Date(ms).getUTCMinutes() < 10
          ? { throughput: { endpointHost: 'noc', downBitsPerSec: 1e6 + random() * 3e7, upBitsPerSec: 4e6 } }
          : {}),
      },
    });
  }
  return samples;
}

/**
 * Each night (local 18:00 to 06:00) sags by its own amount, evening and morning alike, so about half
 * the nights fall under a warning level of 11.96 V and a night split at midnight would count otherwise.
 */
function batteryVolts(ms: number): number {
  const local = ms + 8 * MS_PER_HOUR;
  const hour = new Date(local).getUTCHours();
  if (hour >= 6 && hour < 18) return 12.8;
  const night = Math.floor((local - 18 * MS_PER_HOUR) / MS_PER_DAY);
  return 12.3 - ((night * 7919) % 13) / 20 + (hour === 23 ? 0.01 : 0);
}

/** Fills the store with the generated month and rolls it up. */
export async function fillMonth(store: Store, seed: number): Promise<void> {
  const random = seeded(seed);
  for (const shape of SHAPES) {
    const samples = monthSamples(shape, random);
    for (let i = 0; i < samples.length; i += 500) {
      await insert(store, batch(shape.siteId, samples.slice(i, i + 500)), shape.toMs + MS_PER_DAY);
    }
  }
  await rollUpAll(store);
}

export async function rollUpAll(store: Pick<Store, 'refreshRollups'>): Promise<void> {
  while ((await store.refreshRollups(1000)) > 0) {
    // Until every touched site-day is rolled up.
  }
}

/** Late samples for gen-a on 2026-11-14 (a hole filled) and gen-b's first on 2026-11-20 at a new hour. */
export function lateSamples(): { siteId: string; samples: SampleInput[] }[] {
  const at = (day: number, hour: number, minute: number) =>
    MONTH0 + day * MS_PER_DAY + hour * MS_PER_HOUR + minute * 60_000;
  const sample = (seq: number, ms: number, battery: number | null): SampleInput => ({
    seq,
    bootId: 'boot-2',
    wallMs: ms,
    clockSynced: true,
    uptimeMs: 1000,
    probes: {
      uptime: { systemUptimeMs: 1000, agentUptimeMs: 1 },
      usage: { rxBytes: 9e6, txBytes: 1e6, agentRxBytes: 0, agentTxBytes: 0 },
      clients: { clientsInterval: 90 },
      latency: { targets: [{ role: 'internet', host: 'h', rttAvgMs: 900, lossPct: 0 }] },
      ...(battery === null ? {} : { power: { batteryVolts: battery } }),
    },
  });
  return [
    { siteId: 'gen-a', samples: [sample(1, at(14, 15, 3), 10.9), sample(2, at(14, 16, 7), 10.8)] },
    { siteId: 'gen-b', samples: [sample(1, at(20, 12, 1), null)] },
  ];
}
