import type { SiteRow } from './contract.js';
import { t } from './i18n.js';

/** A site heard but not in the registry has no name or area: its id stands in. */
export function siteName(site: Pick<SiteRow, 'siteId' | 'name'>): string {
  return site.name ?? site.siteId;
}

export function areaText(site: SiteRow): string {
  const parts = [site.desa, site.kecamatan, site.kabupaten].filter((p): p is string => p !== null && p !== '');
  return parts.length > 0 ? parts.join(', ') : t('state.unregistered');
}
