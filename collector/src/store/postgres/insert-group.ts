import { MS_PER_DAY } from '@pantau/shared';
import type pg from 'pg';
import { type BatchRows, fileSamples, type SampleRow } from '../batch-rows.js';
import type { InsertResult } from '../records.js';
import { FACT_COLUMNS, type FactKind } from '../sample-facts.js';
import { type EffectiveTime, offsetsInBatch } from '../time-basis.js';

const PG_TYPE: Record<FactKind, string> = { int: 'bigint', real: 'float8', bool: 'boolean', text: 'text' };
const D = MS_PER_DAY;
/** The first parameter after the samples' own columns and facts. */
const P = 11 + FACT_COLUMNS.length;
const factColumns = FACT_COLUMNS.map((f) => f.column).join(', ');
/** The site row's latest sample gives way to a higher seq (sequence numbers only grow for a site). */
const NEWER = 'excluded.last_seq IS NOT NULL AND (sites.last_seq IS NULL OR sites.last_seq < excluded.last_seq)';

/**
 * A group of batches in ONE statement, so one round trip and no explicit transaction whatever the
 * group's size (round trips, not rows, are what cost with PostgreSQL). In order:
 * - `nb`, `old`, `rb`: boots whose first synchronised sample is in the group get their offset, and
 *   their samples stored before with an estimated time are re-based;
 * - `ins`: each sample, its time re-based on the boot's stored offset when it has one (else as
 *   computed here with the group's own offsets), named by its payload's id; duplicates skipped;
 * - `pl`: each payload that gained a sample, once;
 * - `dd`: the site-days touched, for roll-up; `st`: one row per site (seen time, new samples, the
 *   highest new seq as its latest sample); `ct`: the counters (duplicates, implausible figures of
 *   new samples, new samples filling a requested resend range).
 * Rows go in (site, seq) order so that two collectors committing groups lock in the same order.
 */
const GROUP_SQL = `
WITH u AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::boolean[], $6::bigint[], $7::bigint[],
    $8::int[], $9::bigint[], $10::text[], ${FACT_COLUMNS.map((f, i) => `$${11 + i}::${PG_TYPE[f.kind]}[]`).join(', ')})
  AS u(site_id, boot_id, seq, wall_ms, clock_synced, uptime_ms, received_ms, item, est_ms, est_quality, ${factColumns})
), ids AS (
  SELECT i, nextval('payloads_id_seq') AS id FROM generate_series(1, cardinality($${P}::text[])) AS i
), nb AS (
  INSERT INTO boots (site_id, boot_id, offset_ms)
  SELECT * FROM unnest($${P + 3}::text[], $${P + 4}::text[], $${P + 5}::bigint[]) ORDER BY 1, 2
  ON CONFLICT DO NOTHING RETURNING site_id, boot_id, offset_ms
), old AS (
  SELECT s.site_id, s.boot_id, s.seq, s.effective_ms FROM samples s JOIN nb USING (site_id, boot_id)
  WHERE s.time_quality = 'estimated' ORDER BY s.site_id, s.seq FOR UPDATE OF s
), rb AS (
  UPDATE samples s SET effective_ms = greatest(0, s.uptime_ms + nb.offset_ms), time_quality = 'corrected'
  FROM old JOIN nb USING (site_id, boot_id)
  WHERE s.site_id = old.site_id AND s.boot_id = old.boot_id AND s.seq = old.seq
  RETURNING s.site_id, old.effective_ms AS old_ms, s.effective_ms AS new_ms
), ins AS (
  INSERT INTO samples (site_id, boot_id, seq, wall_ms, clock_synced, uptime_ms, received_ms, payload_id,
    effective_ms, time_quality, ${factColumns})
  SELECT u.site_id, u.boot_id, u.seq, u.wall_ms, u.clock_synced, u.uptime_ms, u.received_ms, ids.id,
    CASE WHEN NOT u.clock_synced AND b.offset_ms IS NOT NULL
      THEN greatest(0, u.uptime_ms + b.offset_ms) ELSE u.est_ms END,
    CASE WHEN NOT u.clock_synced AND b.offset_ms IS NOT NULL THEN 'corrected' ELSE u.est_quality END,
    ${FACT_COLUMNS.map((f) => `u.${f.column}`).join(', ')}
  FROM u JOIN ids ON ids.i = u.item LEFT JOIN boots b ON b.site_id = u.site_id AND b.boot_id = u.boot_id
  ORDER BY u.site_id, u.seq, u.boot_id, u.item
  ON CONFLICT DO NOTHING RETURNING site_id, boot_id, seq, effective_ms, payload_id
), pl AS (
  INSERT INTO payloads (id, site_id, received_ms, payload)
  SELECT ids.id, p.site_id, p.received_ms, p.payload
  FROM unnest($${P}::text[], $${P + 1}::bigint[], $${P + 2}::bytea[])
    WITH ORDINALITY AS p(site_id, received_ms, payload, i)
  JOIN ids USING (i) WHERE ids.id IN (SELECT payload_id FROM ins)
), dd AS (
  INSERT INTO dirty_days (site_id, day_ms)
  SELECT DISTINCT site_id, (ms / ${D}) * ${D} FROM (
    SELECT site_id, effective_ms AS ms FROM ins
    UNION ALL SELECT site_id, old_ms FROM rb
    UNION ALL SELECT site_id, new_ms FROM rb
  ) d ORDER BY 1, 2 ON CONFLICT DO NOTHING
), latest AS (
  SELECT DISTINCT ON (site_id) site_id, seq, boot_id FROM ins ORDER BY site_id, seq DESC, boot_id
), st AS (
  INSERT INTO sites (site_id, first_seen_ms, last_seen_ms, samples, last_seq, last_boot_id)
  SELECT seen.site_id, seen.ms, seen.ms, coalesce(n.n, 0), latest.seq, latest.boot_id
  FROM (
    SELECT site_id, max(received_ms) AS ms
    FROM unnest($${P}::text[], $${P + 1}::bigint[]) AS p(site_id, received_ms) GROUP BY site_id
  ) seen
  LEFT JOIN (SELECT site_id, count(*) AS n FROM ins GROUP BY site_id) n USING (site_id)
  LEFT JOIN latest USING (site_id)
  ORDER BY seen.site_id
  ON CONFLICT (site_id) DO UPDATE SET
    last_seen_ms = greatest(sites.last_seen_ms, excluded.last_seen_ms),
    samples = sites.samples + excluded.samples,
    last_boot_id = CASE WHEN ${NEWER} THEN excluded.last_boot_id ELSE sites.last_boot_id END,
    last_seq = CASE WHEN ${NEWER} THEN excluded.last_seq ELSE sites.last_seq END
), deltas AS (
  SELECT 'duplicates' AS name, '' AS key, cardinality($1::text[]) - (SELECT count(*) FROM ins) AS value
  UNION ALL
  SELECT 'implausible', f.field, count(*)
  FROM unnest($${P + 6}::text[], $${P + 7}::text[], $${P + 8}::bigint[], $${P + 9}::text[])
    AS f(site_id, boot_id, seq, field)
  JOIN ins USING (site_id, boot_id, seq) GROUP BY f.field
  UNION ALL
  SELECT 'recovered', '', count(*) FROM ins
  WHERE EXISTS (SELECT 1 FROM resend_asks a WHERE a.site_id = ins.site_id AND ins.seq BETWEEN a.from_seq AND a.to_seq)
), ct AS (
  INSERT INTO counters (name, key, value) SELECT name, key, value FROM deltas WHERE value > 0 ORDER BY name, key
  ON CONFLICT (name, key) DO UPDATE SET value = counters.value + excluded.value
)
SELECT ids.i, count(ins.payload_id)::int AS n FROM ids LEFT JOIN ins ON ins.payload_id = ids.id GROUP BY ids.i`;

/** Per site and boot, the offset of the first synchronised sample in the group. */
function groupOffsets(batches: readonly BatchRows[]): Map<string, Map<string, number>> {
  const bySite = new Map<string, Map<string, number>>();
  for (const b of batches) {
    const site = bySite.get(b.siteId) ?? new Map<string, number>();
    bySite.set(b.siteId, site);
    for (const [boot, offset] of offsetsInBatch(b.samples)) if (!site.has(boot)) site.set(boot, offset);
  }
  return bySite;
}

const NO_OFFSETS: ReadonlyMap<string, number> = new Map();

/**
 * The samples' parameters of `GROUP_SQL`: one array per column ($1 to $10, then the facts), one
 * value a sample, in (site, seq) order (a stable sort: of two copies of a sample, the earlier batch's
 * comes first and is the one stored).
 */
function sampleColumns(batches: readonly BatchRows[], offsets: Map<string, Map<string, number>>): unknown[][] {
  // Times as if the group's offsets were stored; the statement prefers a stored one.
  const times = batches.map((b) => fileSamples(b.samples, b.receivedMs, offsets.get(b.siteId) ?? NO_OFFSETS).times);
  const order: [batch: number, sample: number][] = [];
  for (let bi = 0; bi < batches.length; bi++) {
    for (let si = 0; si < (batches[bi] as BatchRows).samples.length; si++) order.push([bi, si]);
  }
  const siteOf = (o: [number, number]) => (batches[o[0]] as BatchRows).siteId;
  const seqOf = (o: [number, number]) => ((batches[o[0]] as BatchRows).samples[o[1]] as SampleRow).seq;
  order.sort((x, y) => (siteOf(x) < siteOf(y) ? -1 : siteOf(x) > siteOf(y) ? 1 : seqOf(x) - seqOf(y)));
  const columns = Array.from({ length: 10 + FACT_COLUMNS.length }, () => new Array<unknown>(order.length));
  const at = (c: number) => columns[c] as unknown[];
  for (let r = 0; r < order.length; r++) {
    const [bi, si] = order[r] as [number, number];
    const b = batches[bi] as BatchRows;
    const s = b.samples[si] as SampleRow;
    const time = (times[bi] as EffectiveTime[])[si] as EffectiveTime;
    at(0)[r] = b.siteId;
    at(1)[r] = s.bootId;
    at(2)[r] = s.seq;
    at(3)[r] = s.wallMs;
    at(4)[r] = s.clockSynced;
    at(5)[r] = s.uptimeMs;
    at(6)[r] = b.receivedMs;
    at(7)[r] = bi + 1;
    at(8)[r] = time.effectiveMs;
    at(9)[r] = time.timeQuality;
    for (let k = 0; k < s.facts.length; k++) at(10 + k)[r] = s.facts[k];
  }
  return columns;
}

/** Inserts a group of batches (as rows) in one statement; results in the same order. */
export async function insertGroup(db: pg.Pool | pg.PoolClient, batches: readonly BatchRows[]): Promise<InsertResult[]> {
  const offsets = groupOffsets(batches);
  const boots = [...offsets].flatMap(([site, m]) => [...m].map(([boot, offset]) => [site, boot, offset] as const));
  const implausible = batches.flatMap((b) =>
    b.implausible.map((f) => {
      const s = b.samples[f.sample] as SampleRow;
      return [b.siteId, s.bootId, s.seq, f.field] as const;
    }),
  );
  const result = await db.query<{ i: number; n: number }>({
    // Named: each pooled connection parses and plans the statement once.
    name: 'pantau_insert_group',
    text: GROUP_SQL,
    values: [
      ...sampleColumns(batches, offsets),
      batches.map((b) => b.siteId),
      batches.map((b) => b.receivedMs),
      batches.map((b) => Buffer.from(b.payload.buffer, b.payload.byteOffset, b.payload.byteLength)),
      boots.map((b) => b[0]),
      boots.map((b) => b[1]),
      boots.map((b) => b[2]),
      implausible.map((f) => f[0]),
      implausible.map((f) => f[1]),
      implausible.map((f) => f[2]),
      implausible.map((f) => f[3]),
    ],
  });
  const inserted = new Map(result.rows.map((r) => [r.i, r.n]));
  return batches.map((b, i) => {
    const n = inserted.get(i + 1) ?? 0;
    return { inserted: n, duplicates: b.samples.length - n };
  });
}
