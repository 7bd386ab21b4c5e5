import { siteIdSchema } from '@pantau/shared';
import { z } from 'zod';
import { siteGroups } from '../health/config.js';
import { DESA_CODE, isUnder, KABUPATEN_CODE, KECAMATAN_CODE, KNOWN_KABUPATEN, sameRegionName } from './regions.js';

const placeName = z.string().trim().min(1, 'is empty').max(100);

/**
 * A registered site. Region codes are Kemendagri's, so exports join other government data.
 * Coordinates must fall inside Indonesia (which catches swapped latitude and longitude).
 */
export const siteRecordSchema = z
  .object({
    siteId: siteIdSchema,
    name: placeName,
    kabupatenCode: z.string().regex(KABUPATEN_CODE, 'a kabupaten code looks like 64.08'),
    kabupaten: placeName,
    kecamatanCode: z.string().regex(KECAMATAN_CODE, 'a kecamatan code looks like 64.08.05'),
    kecamatan: placeName,
    desaCode: z.string().regex(DESA_CODE, 'a desa code looks like 64.08.05.2001'),
    desa: placeName,
    group: z.enum(siteGroups),
    latitude: z.number().min(-11.5, 'is south of Indonesia').max(6.5, 'is north of Indonesia'),
    longitude: z.number().min(94.5, 'is west of Indonesia').max(141.5, 'is east of Indonesia'),
    /** The charge controller's low-voltage disconnect, where known (else the charger may report it). */
    lowVoltageDisconnectVolts: z.number().positive().max(100).nullable().default(null),
    /** The site's agent settings, where they differ from the fleet's defaults. */
    sampleIntervalSec: z.int().min(1).max(3600).nullable().default(null),
    deliveryIntervalSec: z.int().min(1).max(86_400).nullable().default(null),
  })
  .superRefine((site, ctx) => {
    // A code of the wrong form is already reported; nesting is checked between well-formed ones.
    const wellFormed =
      KABUPATEN_CODE.test(site.kabupatenCode) &&
      KECAMATAN_CODE.test(site.kecamatanCode) &&
      DESA_CODE.test(site.desaCode);
    if (wellFormed && !isUnder(site.kecamatanCode, site.kabupatenCode)) {
      ctx.addIssue({
        code: 'custom',
        path: ['kecamatanCode'],
        message: `${site.kecamatanCode} is not a kecamatan of kabupaten ${site.kabupatenCode}`,
      });
    }
    if (wellFormed && !isUnder(site.desaCode, site.kecamatanCode)) {
      ctx.addIssue({
        code: 'custom',
        path: ['desaCode'],
        message: `${site.desaCode} is not a desa of kecamatan ${site.kecamatanCode}`,
      });
    }
    const known = KNOWN_KABUPATEN[site.kabupatenCode];
    if (known !== undefined && !sameRegionName(known, site.kabupaten)) {
      ctx.addIssue({
        code: 'custom',
        path: ['kabupaten'],
        message: `kabupaten ${site.kabupatenCode} is ${known}, not ${site.kabupaten}`,
      });
    }
  });
export type SiteRecord = z.infer<typeof siteRecordSchema>;
export type SiteRecordInput = z.input<typeof siteRecordSchema>;

/** The CSV column of each field (the YAML form uses the field names themselves). */
export const CSV_COLUMNS = {
  siteId: 'site_id',
  name: 'name',
  kabupatenCode: 'kabupaten_code',
  kabupaten: 'kabupaten',
  kecamatanCode: 'kecamatan_code',
  kecamatan: 'kecamatan',
  desaCode: 'desa_code',
  desa: 'desa',
  group: 'group',
  latitude: 'latitude',
  longitude: 'longitude',
  lowVoltageDisconnectVolts: 'lvd_volts',
  sampleIntervalSec: 'sample_interval_sec',
  deliveryIntervalSec: 'delivery_interval_sec',
} as const satisfies Record<keyof SiteRecord, string>;

export const NUMERIC_FIELDS: ReadonlySet<keyof SiteRecord> = new Set([
  'latitude',
  'longitude',
  'lowVoltageDisconnectVolts',
  'sampleIntervalSec',
  'deliveryIntervalSec',
]);

export function sameRecord(a: SiteRecord, b: SiteRecord): boolean {
  return (Object.keys(CSV_COLUMNS) as (keyof SiteRecord)[]).every((k) => a[k] === b[k]);
}
