import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { SolarPlant } from './battery-model.js';
import { between, createDraw } from './draw.js';

export const siteGroups = ['village_office', 'school', 'health_post', 'other'] as const;
export type SiteGroup = (typeof siteGroups)[number];

const kecamatanSchema = z.object({
  code: z.string().regex(/^\d{2}\.\d{2}\.\d{2}$/),
  name: z.string().min(1),
  latitude: z.number(),
  longitude: z.number(),
});
const placesSchema = z.object({
  source: z.string().min(1),
  kabupaten: z.array(
    z.object({
      code: z.string().regex(/^\d{2}\.\d{2}$/),
      name: z.string().min(1),
      prefix: z.string().regex(/^[a-z]+$/),
      kecamatan: z.array(kecamatanSchema).min(1),
    }),
  ),
});
export type Places = z.infer<typeof placesSchema>;

/** The kecamatan of Paser and Kutai Timur with their Kemendagri codes (bench/data, its source inside). */
export function loadPlaces(): Places {
  const url = new URL('../../data/kecamatan-kaltim.json', import.meta.url);
  return placesSchema.parse(JSON.parse(readFileSync(url, 'utf8')));
}

/** A virtual site: what the registry holds about it, and what the simulator needs to play it. */
export interface SitePlan {
  readonly index: number;
  readonly siteId: string;
  readonly name: string;
  readonly kabupatenCode: string;
  readonly kabupaten: string;
  readonly kecamatanCode: string;
  readonly kecamatan: string;
  readonly desaCode: string;
  readonly desa: string;
  readonly group: SiteGroup;
  readonly latitude: number;
  readonly longitude: number;
  readonly lowVoltageDisconnectVolts: number;
  readonly plant: SolarPlant;
  readonly initialStateOfCharge: number;
  /** Devices at the busiest hour of its group. */
  readonly clientsAtPeak: number;
}

/**
 * Desa names to go with the real kecamatan: common Kalimantan village names, not a claim that a
 * desa of that name lies in that kecamatan. Desa codes are synthetic too (2001 up, the range
 * Kemendagri gives desa as opposed to kelurahan).
 */
const DESA_NAMES = [
  'Sumber Rejo',
  'Mekar Jaya',
  'Suka Maju',
  'Karya Bakti',
  'Bukit Harapan',
  'Tanjung Baru',
  'Sido Mulyo',
  'Long Lees',
  'Tepian Indah',
  'Swarga Bara',
  'Muara Dua',
  'Sungai Batang',
  'Rantau Makmur',
  'Tanah Abang',
  'Jak Luay',
  'Batu Lepoq',
  'Kelinjau Ulu',
  'Damai Baru',
  'Marga Mulya',
  'Harapan Jaya',
] as const;

const GROUP_SHARES: readonly [SiteGroup, number][] = [
  ['school', 0.4],
  ['village_office', 0.3],
  ['health_post', 0.15],
  ['other', 0.15],
];

/** The fleet's sites, the same for the same seed and count (a larger fleet keeps the smaller one's sites). */
export function planFleet(count: number, seed: number, places: Places = loadPlaces()): SitePlan[] {
  const draw = createDraw(seed);
  const kecamatan = places.kabupaten.flatMap((kab) => kab.kecamatan.map((kec) => ({ kab, kec })));
  const numbering = new Map<string, number>();
  const plans: SitePlan[] = [];
  for (let index = 0; index < count; index += 1) {
    const pick = kecamatan[Math.floor(draw(index, 'kecamatan') * kecamatan.length)] ?? kecamatan[0];
    if (pick === undefined) throw new Error('the places file lists no kecamatan');
    const { kab, kec } = pick;
    const n = (numbering.get(kec.code) ?? 0) + 1;
    numbering.set(kec.code, n);
    const group = chooseGroup(draw(index, 'group'));
    const desaIndex = Math.floor(draw(index, 'desa') * DESA_NAMES.length);
    const desa = DESA_NAMES[desaIndex] ?? 'Suka Maju';
    const lvd = Math.round(between(draw(index, 'lvd'), 11.4, 11.9) * 10) / 10;
    plans.push({
      index,
      siteId: `${kab.prefix}-${slug(kec.name)}-${String(n).padStart(2, '0')}`,
      name: siteName(group, desa, kec.name, n),
      kabupatenCode: kab.code,
      kabupaten: kab.name,
      kecamatanCode: kec.code,
      kecamatan: kec.name,
      desaCode: `${kec.code}.${2001 + desaIndex}`,
      desa,
      group,
      latitude: round(kec.latitude + between(draw(index, 'lat'), -0.08, 0.08), 5),
      longitude: round(kec.longitude + between(draw(index, 'lon'), -0.08, 0.08), 5),
      lowVoltageDisconnectVolts: lvd,
      plant: {
        // 100-200 Ah at 12 V; panels 200-600 W; a Starlink Mini to a standard dish with its router.
        capacityWh: Math.round(between(draw(index, 'battery'), 1200, 2400)),
        panelWatts: Math.round(between(draw(index, 'panel'), 2, 6)) * 100,
        loadWatts: Math.round(between(draw(index, 'load'), 30, 65)),
        lowVoltageDisconnectVolts: lvd,
      },
      initialStateOfCharge: between(draw(index, 'soc'), 0.55, 0.95),
      clientsAtPeak: Math.round(between(draw(index, 'size'), 3, 25)),
    });
  }
  return plans;
}

function chooseGroup(u: number): SiteGroup {
  let acc = 0;
  for (const [group, share] of GROUP_SHARES) {
    acc += share;
    if (u < acc) return group;
  }
  return 'other';
}

function siteName(group: SiteGroup, desa: string, kecamatan: string, n: number): string {
  switch (group) {
    case 'school':
      return `SD Negeri ${String(n).padStart(3, '0')} ${kecamatan}`;
    case 'village_office':
      return `Kantor Desa ${desa}`;
    case 'health_post':
      return `Puskesmas Pembantu ${desa}`;
    case 'other':
      return `Balai Warga ${desa}`;
  }
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
