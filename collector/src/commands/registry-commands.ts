import { parseSiteFile, siteFileFormat } from '../registry/site-import.js';
import type { SiteRegistry } from '../registry/site-registry.js';
import { applySiteSet } from '../registry/site-set.js';

export interface CommandOutput {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** `sites import FILE`: every bad row named, nothing imported while one is bad; idempotent. */
export async function importSites(registry: SiteRegistry, path: string, text: string): Promise<CommandOutput> {
  const parsed = parseSiteFile(text, siteFileFormat(path));
  if (!parsed.ok) {
    const rows = (parsed.errors ?? []).map(
      (e) => `  line ${e.line}${e.field === null ? '' : `, ${e.field}`}: ${e.message}`,
    );
    const detail = rows.length > 0 ? rows.join('\n') : `  ${parsed.message}`;
    return {
      code: 1,
      out: '',
      err: `${path}: nothing imported (${parsed.code}); fix these and import again:\n${detail}\n`,
    };
  }
  const summary = await registry.upsert(parsed.value.map((r) => r.record));
  const recommissioned =
    summary.recommissioned === 0
      ? ''
      : ` (of the updated, ${summary.recommissioned} recommissioned: they were decommissioned and are judged again)`;
  return {
    code: 0,
    out: `${path}: ${summary.added} added, ${summary.updated} updated, ${summary.unchanged} unchanged${recommissioned}\n`,
    err: '',
  };
}

/** `sites set SITE --field value ...`: checked as an import row would be. */
export async function setSite(
  registry: SiteRegistry,
  siteId: string,
  assignments: readonly string[],
): Promise<CommandOutput> {
  const existing = await registry.get(siteId);
  const result = applySiteSet(siteId, existing, assignments);
  if (!result.ok) {
    const hint = existing === null ? ' (a new site needs every required field)' : '';
    return { code: 1, out: '', err: `${siteId}: not changed (${result.code})${hint}:\n${result.message}\n` };
  }
  const summary = await registry.upsert([result.value]);
  const what =
    summary.added > 0
      ? 'registered'
      : summary.recommissioned > 0
        ? 'updated; recommissioned (it was decommissioned; health judges it again)'
        : summary.updated > 0
          ? 'updated'
          : 'unchanged';
  return { code: 0, out: `${siteId}: ${what}\n`, err: '' };
}
