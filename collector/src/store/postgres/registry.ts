import type pg from 'pg';
import type { SiteRegistry } from '../../registry/site-registry.js';
import { REGISTRY_COLUMNS, type RegistryRow, recordFromRow, registryValues } from '../health-rows.js';

const CHANGED = REGISTRY_COLUMNS.filter((c) => c !== 'site_id');

/** The site registry on PostgreSQL: an import is one statement. */
export function postgresRegistry(pool: pg.Pool): SiteRegistry {
  return {
    async get(siteId) {
      const res = await pool.query<RegistryRow>('SELECT * FROM registry WHERE site_id = $1', [siteId]);
      const row = res.rows[0];
      return row === undefined ? null : recordFromRow(row);
    },
    async list() {
      return (await pool.query<RegistryRow>('SELECT * FROM registry ORDER BY site_id')).rows.map(recordFromRow);
    },
    async upsert(records) {
      if (records.length === 0) return { added: 0, updated: 0, unchanged: 0, recommissioned: 0 };
      // A row is written only when some field differs or it was decommissioned (the write clears
      // the mark); `xmax = 0` tells an insert from an update. `marked` reads the rows as they were
      // before the statement (one snapshot for the whole statement).
      const values = REGISTRY_COLUMNS.map((_, i) => records.map((r) => registryValues(r)[i]));
      const types = ['text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text'];
      const casts = [...types, 'float8', 'float8', 'float8', 'int4', 'int4'];
      const res = await pool.query<{ added: number; updated: number; recommissioned: number }>(
        `WITH marked AS (
           SELECT site_id FROM registry WHERE decommissioned_ms IS NOT NULL AND site_id = ANY($1::text[])
         ), w AS (
           INSERT INTO registry (${REGISTRY_COLUMNS.join(', ')})
           SELECT * FROM unnest(${casts.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})
           ON CONFLICT (site_id) DO UPDATE SET ${CHANGED.map((c) => `${c} = excluded.${c}`).join(', ')},
             decommissioned_ms = NULL
           WHERE (${CHANGED.map((c) => `registry.${c}`).join(', ')})
             IS DISTINCT FROM (${CHANGED.map((c) => `excluded.${c}`).join(', ')})
             OR registry.decommissioned_ms IS NOT NULL
           RETURNING site_id, (xmax = 0) AS inserted
         )
         SELECT count(*) FILTER (WHERE inserted)::int AS added, count(*) FILTER (WHERE NOT inserted)::int AS updated,
           count(*) FILTER (WHERE site_id IN (SELECT site_id FROM marked))::int AS recommissioned
         FROM w`,
        values,
      );
      const added = res.rows[0]?.added ?? 0;
      const updated = res.rows[0]?.updated ?? 0;
      const recommissioned = res.rows[0]?.recommissioned ?? 0;
      return {
        added,
        updated,
        unchanged: new Set(records.map((r) => r.siteId)).size - added - updated,
        recommissioned,
      };
    },
    async decommission(siteId, atMs) {
      const res = await pool.query(
        'UPDATE registry SET decommissioned_ms = coalesce(decommissioned_ms, $2) WHERE site_id = $1',
        [siteId, atMs],
      );
      return (res.rowCount ?? 0) > 0;
    },
  };
}
