import { type AlertKind, alertKindSchema, siteIdSchema } from '@pantau/shared';
import { z } from 'zod';
import { KABUPATEN_CODE, KECAMATAN_CODE } from '../registry/regions.js';

/** What a silence or maintenance window covers: a site, a kecamatan or a kabupaten (one of them). */
export const scopeSchema = z
  .object({
    siteId: siteIdSchema.optional(),
    kecamatanCode: z.string().regex(KECAMATAN_CODE).optional(),
    kabupatenCode: z.string().regex(KABUPATEN_CODE).optional(),
  })
  .refine((s) => [s.siteId, s.kecamatanCode, s.kabupatenCode].filter((v) => v !== undefined).length === 1, {
    message: 'name exactly one of siteId, kecamatanCode, kabupatenCode',
  });

/** Holds notifications of matching alerts; their state is still kept and published. */
export const silenceSchema = z.object({
  id: z.string().min(1).max(128),
  scope: scopeSchema,
  /** Only these kinds; empty: every kind. */
  kinds: z.array(alertKindSchema).default([]),
  startsMs: z.int().min(0),
  endsMs: z.int().min(0),
  by: z.string().min(1).max(64),
  comment: z.string().max(500).default(''),
});
export type Silence = z.infer<typeof silenceSchema>;

/** Planned work: outages inside it have the cause `planned`, and nothing is notified. */
export const maintenanceSchema = z.object({
  id: z.string().min(1).max(128),
  scope: scopeSchema,
  startsMs: z.int().min(0),
  endsMs: z.int().min(0),
  by: z.string().min(1).max(64),
  comment: z.string().max(500).default(''),
});
export type Maintenance = z.infer<typeof maintenanceSchema>;

export interface SiteArea {
  readonly siteId: string;
  readonly kecamatanCode: string | null;
  readonly kabupatenCode: string | null;
}

export function covers(scope: Silence['scope'], site: SiteArea): boolean {
  if (scope.siteId !== undefined) return scope.siteId === site.siteId;
  if (scope.kecamatanCode !== undefined) return scope.kecamatanCode === site.kecamatanCode;
  return scope.kabupatenCode !== undefined && scope.kabupatenCode === site.kabupatenCode;
}

/** The operator's silences and maintenance windows, held in memory for the policy's quick checks. */
export class Controls {
  private silences: Silence[] = [];
  private windows: Maintenance[] = [];

  replace(silences: readonly Silence[], windows: readonly Maintenance[]): void {
    this.silences = [...silences];
    this.windows = [...windows];
  }

  inMaintenance(site: SiteArea, atMs: number): boolean {
    return this.windows.some((w) => w.startsMs <= atMs && atMs < w.endsMs && covers(w.scope, site));
  }

  /** Why notifications about this alert are held now, if they are. */
  suppression(site: SiteArea, kind: AlertKind, atMs: number): 'maintenance' | 'silence' | null {
    if (this.inMaintenance(site, atMs)) return 'maintenance';
    const silenced = this.silences.some(
      (s) =>
        s.startsMs <= atMs &&
        atMs < s.endsMs &&
        (s.kinds.length === 0 || s.kinds.includes(kind)) &&
        covers(s.scope, site),
    );
    return silenced ? 'silence' : null;
  }
}
