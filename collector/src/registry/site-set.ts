import { fail, ok, type Result } from '@pantau/shared';
import { CSV_COLUMNS, NUMERIC_FIELDS, type SiteRecord, siteRecordSchema } from './site-record.js';

type Field = keyof typeof CSV_COLUMNS;

const fieldByName = new Map<string, Field>(
  (Object.entries(CSV_COLUMNS) as [Field, string][]).flatMap(([field, column]) => [
    [field, field],
    [column, field],
  ]),
);

/**
 * `sites set <site> field=value ...`: changes some fields of a registered site (or registers a new
 * one when every required field is given). Fields by their CSV column or YAML name; an empty value
 * clears an optional field. The result is validated as an import row would be.
 */
export function applySiteSet(
  siteId: string,
  existing: SiteRecord | null,
  assignments: readonly string[],
): Result<SiteRecord, 'registry_invalid'> {
  const values: Record<string, unknown> = { ...(existing ?? {}), siteId };
  for (const assignment of assignments) {
    const eq = assignment.indexOf('=');
    const name = eq < 0 ? assignment : assignment.slice(0, eq);
    const field = fieldByName.get(name.trim());
    if (eq < 0 || field === undefined || field === 'siteId') {
      const known = Object.values(CSV_COLUMNS).filter((c) => c !== 'site_id');
      return fail('registry_invalid', `${assignment}: give field=value, with a field among ${known.join(', ')}`);
    }
    const raw = assignment.slice(eq + 1).trim();
    if (raw === '') values[field] = null;
    else values[field] = NUMERIC_FIELDS.has(field) && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  }
  const parsed = siteRecordSchema.safeParse(values);
  if (parsed.success) return ok(parsed.data);
  const lines = parsed.error.issues.map((issue) => {
    const field = issue.path[0] === undefined ? null : String(issue.path[0]);
    return `${field === null ? siteId : (CSV_COLUMNS[field as Field] ?? field)}: ${issue.message}`;
  });
  return fail('registry_invalid', lines.join('\n'));
}
