import type { SiteRecord } from '@pantau/collector';

/** Kecamatan of the two kabupaten the first sites are in (Kemendagri codes, DESIGN's lists). */
const KUTAI_TIMUR = [
  'Muara Ancalong',
  'Muara Wahau',
  'Muara Bengkal',
  'Sangatta Utara',
  'Sangatta Selatan',
  'Sangkulirang',
  'Busang',
  'Telen',
  'Kongbeng',
  'Bengalon',
  'Kaliorang',
  'Sandaran',
  'Teluk Pandan',
  'Rantau Pulung',
  'Kaubun',
  'Karangan',
  'Batu Ampar',
  'Long Mesangat',
];
const PASER = [
  'Batu Sopang',
  'Tanjung Harapan',
  'Pasir Belengkong',
  'Tanah Grogot',
  'Kuaro',
  'Long Ikis',
  'Muara Komam',
  'Long Kali',
  'Batu Engau',
  'Muara Samu',
];
const GROUPS = ['village_office', 'school', 'health_post', 'other'] as const;

/** One simulated site: its registry record and the facts of its power supply. */
export interface FleetSite {
  readonly record: SiteRecord;
  /** Hours of load a full battery carries; a weak site's barely lasts a clear night. */
  readonly batteryHours: number;
  /** The controller's disconnect voltage, whether or not the registry knows it. */
  readonly disconnectVolts: number;
  /** Whether the agent reads the battery (a charge controller on a serial line). */
  readonly batterySensor: boolean;
  /** Samples delivered at this offset within the 5-minute interval. */
  readonly phaseMs: number;
}

export const WEAK_SITE_SHARE = 0.1;

/** `count` registered sites over Kutai Timur (two thirds) and Paser, seeded. */
export function fleetSites(count: number, random: () => number): FleetSite[] {
  return Array.from({ length: count }, (_, i) => {
    const kutim = i % 3 !== 2;
    const names = kutim ? KUTAI_TIMUR : PASER;
    const k = Math.floor(random() * names.length);
    const kabupatenCode = kutim ? '64.08' : '64.01';
    const kecamatanCode = `${kabupatenCode}.${String(k + 1).padStart(2, '0')}`;
    const lvdKnown = random() < 0.6;
    const disconnectVolts = 11.5;
    const weak = random() < WEAK_SITE_SHARE;
    const record: SiteRecord = {
      siteId: `${kutim ? 'kutim' : 'paser'}-${String(i).padStart(3, '0')}`,
      name: `Desa ${i}`,
      kabupatenCode,
      kabupaten: kutim ? 'Kutai Timur' : 'Paser',
      kecamatanCode,
      kecamatan: names[k] ?? 'Kecamatan',
      desaCode: `${kecamatanCode}.${2001 + (i % 50)}`,
      desa: `Desa ${i}`,
      group: GROUPS[i % GROUPS.length] ?? 'other',
      // Kutai Timur around Sangatta, Paser around Tanah Grogot.
      latitude: kutim ? 0.2 + 1.0 * random() : -2.2 + 0.8 * random(),
      longitude: kutim ? 116.6 + 1.3 * random() : 115.6 + 0.8 * random(),
      lowVoltageDisconnectVolts: lvdKnown ? disconnectVolts : null,
      sampleIntervalSec: null,
      deliveryIntervalSec: null,
    };
    return {
      record,
      batteryHours: weak ? 14 + 3 * random() : 30 + 20 * random(),
      disconnectVolts,
      batterySensor: random() < 0.8,
      phaseMs: Math.floor(random() * 300) * 1000,
    };
  });
}
