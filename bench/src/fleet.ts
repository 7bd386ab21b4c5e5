import type { SiteRecord } from '@pantau/collector';

/** A registered fleet spread over ten kabupaten of 18 kecamatan each, at random places. */
export function registeredFleet(count: number, random: () => number): SiteRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const kab = `64.${String(1 + (i % 10)).padStart(2, '0')}`;
    const kec = `${kab}.${String(1 + (Math.floor(i / 10) % 18)).padStart(2, '0')}`;
    return {
      siteId: `site-${i}`,
      name: `Site ${i}`,
      kabupatenCode: kab,
      kabupaten: `Kabupaten ${kab}`,
      kecamatanCode: kec,
      kecamatan: `Kecamatan ${kec}`,
      desaCode: `${kec}.2001`,
      desa: 'Desa',
      group: 'village_office',
      latitude: -2 + 3 * random(),
      longitude: 115 + 3 * random(),
      lowVoltageDisconnectVolts: 11.5,
      sampleIntervalSec: null,
      deliveryIntervalSec: null,
    };
  });
}
