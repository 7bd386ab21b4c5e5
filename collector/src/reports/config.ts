import { z } from 'zod';

/** The zones Indonesia keeps (and UTC): a report's days and hours are the NOC's local ones. */
export const reportTimeZones = ['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura', 'UTC'] as const;
export type ReportTimeZone = (typeof reportTimeZones)[number];

/** `reports:` in the collector's config (docs/reports.md). */
export const reportsConfigSchema = z
  .strictObject({
    /** Days, nights and the hour-of-day heatmap are counted in this zone. */
    timeZone: z.enum(reportTimeZones).default('Asia/Makassar'),
    language: z.enum(['en', 'id']).default('id'),
    /** The Chromium that prints PDF reports (Debian's package); never a downloaded browser. */
    chromiumPath: z.string().min(1).default('/usr/bin/chromium'),
    openData: z
      .strictObject({
        /** What a regency publishes the export under; an SPDX identifier. */
        licence: z.string().min(1).max(100).default('CC-BY-4.0'),
        licenceUrl: z.url().default('https://creativecommons.org/licenses/by/4.0/'),
        /** Who publishes it, named in the metadata. */
        publisher: z.string().min(1).max(200).default('Pantau'),
      })
      .prefault({}),
  })
  .prefault({});
export type ReportsConfig = z.infer<typeof reportsConfigSchema>;
