import { MS_PER_DAY } from '@pantau/shared';
import type pg from 'pg';
import { dayOf, prepareBatch, type SampleRow } from './batch-rows.js';
import type { BatchItem, InsertResult } from './store.js';

interface GroupRow extends SampleRow {
  readonly siteId: string;
  readonly receivedMs: number;
  readonly item: number;
}

const key = (site: string, boot: string, seq: number) => `${site}\u0000${boot}\u0000${seq}`;

/**
 * Inserts a group of batches with a fixed number of statements, whatever the group's size: one
 * look-up of the boots' offsets, one multi-row insert of every sample, the re-basing of boots that
 * became synchronised, one insert of dirty days, one upsert of the site rows. Round trips, not
 * rows, are what cost with PostgreSQL. Rows are sorted by site so that two collectors committing
 * groups take their locks in the same order.
 */
export async function insertGroup(db: pg.PoolClient, items: readonly BatchItem[]): Promise<InsertResult[]> {
  const pairs = new Map<string, [string, string]>();
  for (const { batch } of items) {
    for (const s of batch.samples) pairs.set(`${batch.siteId}\u0000${s.bootId}`, [batch.siteId, s.bootId]);
  }
  const known = new Map<string, number>();
  const found = await db.query<{ site_id: string; boot_id: string; offset_ms: number }>(
    `SELECT b.site_id, b.boot_id, b.offset_ms FROM boots b
     JOIN unnest($1::text[], $2::text[]) AS p(site_id, boot_id) USING (site_id, boot_id)`,
    [[...pairs.values()].map((p) => p[0]), [...pairs.values()].map((p) => p[1])],
  );
  for (const r of found.rows) known.set(`${r.site_id}\u0000${r.boot_id}`, r.offset_ms);

  const rows: GroupRow[] = [];
  const newOffsets: [string, string, number][] = [];
  for (const [item, { batch, receivedMs }] of items.entries()) {
    const site = batch.siteId;
    const siteKnown = new Map<string, number>();
    for (const s of batch.samples) {
      const offset = known.get(`${site}\u0000${s.bootId}`);
      if (offset !== undefined) siteKnown.set(s.bootId, offset);
    }
    const prepared = prepareBatch(batch, receivedMs, siteKnown);
    for (const [boot, offset] of prepared.newOffsets) {
      // Later batches of the group use this boot's offset directly.
      known.set(`${site}\u0000${boot}`, offset);
      newOffsets.push([site, boot, offset]);
    }
    for (const r of prepared.rows) rows.push({ ...r, siteId: site, receivedMs, item });
  }
  rows.sort((a, b) => (a.siteId < b.siteId ? -1 : a.siteId > b.siteId ? 1 : a.seq - b.seq));

  const col = <T>(f: (r: GroupRow) => T) => rows.map(f);
  const returned = await db.query<{ site_id: string; boot_id: string; seq: number }>(
    `INSERT INTO samples (site_id, boot_id, seq, wall_ms, clock_synced, uptime_ms, received_ms, probes,
       effective_ms, time_quality, rx_bytes, tx_bytes, client_rx_bytes, client_tx_bytes, clients, battery_volts,
       rtt_gateway_ms, rtt_terminal_ms, rtt_internet_ms, rtt_noc_ms)
     SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::boolean[], $6::bigint[], $7::bigint[],
       $8::text[], $9::bigint[], $10::text[], $11::bigint[], $12::bigint[], $13::bigint[], $14::bigint[],
       $15::integer[], $16::float8[], $17::float8[], $18::float8[], $19::float8[], $20::float8[])
     ON CONFLICT DO NOTHING RETURNING site_id, boot_id, seq`,
    [
      col((r) => r.siteId),
      col((r) => r.bootId),
      col((r) => r.seq),
      col((r) => r.wallMs),
      col((r) => r.clockSynced),
      col((r) => r.uptimeMs),
      col((r) => r.receivedMs),
      col((r) => JSON.stringify(r.probes)),
      col((r) => r.effectiveMs),
      col((r) => r.timeQuality),
      col((r) => r.facts.rxBytes),
      col((r) => r.facts.txBytes),
      col((r) => r.facts.clientRxBytes),
      col((r) => r.facts.clientTxBytes),
      col((r) => r.facts.clients),
      col((r) => r.facts.batteryVolts),
      col((r) => r.facts.rttGatewayMs),
      col((r) => r.facts.rttTerminalMs),
      col((r) => r.facts.rttInternetMs),
      col((r) => r.facts.rttNocMs),
    ],
  );
  // A key the insert returned was new; its first occurrence in the group is the one stored.
  const fresh = new Set(returned.rows.map((r) => key(r.site_id, r.boot_id, r.seq)));
  const inserted: GroupRow[] = [];
  for (const r of [...rows].sort((a, b) => a.item - b.item)) {
    const k = key(r.siteId, r.bootId, r.seq);
    if (fresh.delete(k)) inserted.push(r);
  }

  const dirty = new Set<string>();
  const markDay = (site: string, day: number) => dirty.add(`${site}\u0000${day}`);
  for (const r of inserted) markDay(r.siteId, dayOf(r.effectiveMs));
  for (const [site, boot, offset] of newOffsets) {
    await db.query('INSERT INTO boots VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [site, boot, offset]);
    const moved = await db.query<{ old_day: number; new_day: number }>(
      `WITH old AS (
         SELECT seq, effective_ms FROM samples
         WHERE site_id = $2 AND boot_id = $3 AND time_quality = 'estimated' FOR UPDATE
       )
       UPDATE samples s SET effective_ms = greatest(0, s.uptime_ms + $1), time_quality = 'corrected'
       FROM old WHERE s.site_id = $2 AND s.boot_id = $3 AND s.seq = old.seq
       RETURNING (old.effective_ms / ${MS_PER_DAY}) * ${MS_PER_DAY} AS old_day,
                 (s.effective_ms / ${MS_PER_DAY}) * ${MS_PER_DAY} AS new_day`,
      [offset, site, boot],
    );
    for (const m of moved.rows) {
      markDay(site, m.old_day);
      markDay(site, m.new_day);
    }
  }
  if (dirty.size > 0) {
    const days = [...dirty].sort().map((d) => d.split('\u0000'));
    await db.query('INSERT INTO dirty_days SELECT * FROM unnest($1::text[], $2::bigint[]) ON CONFLICT DO NOTHING', [
      days.map((d) => d[0]),
      days.map((d) => Number(d[1])),
    ]);
  }

  // One row per site: seen time, new samples, and the highest new seq as the latest sample.
  const sites = new Map<string, { lastSeen: number; count: number; latest: GroupRow | undefined }>();
  for (const { batch, receivedMs } of items) {
    const s = sites.get(batch.siteId);
    if (s === undefined) sites.set(batch.siteId, { lastSeen: receivedMs, count: 0, latest: undefined });
    else s.lastSeen = Math.max(s.lastSeen, receivedMs);
  }
  for (const r of inserted) {
    const s = sites.get(r.siteId);
    if (s === undefined) continue;
    s.count += 1;
    if (s.latest === undefined || r.seq > s.latest.seq) s.latest = r;
  }
  const siteRows = [...sites.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const newer = 'excluded.last_seq IS NOT NULL AND (sites.last_seq IS NULL OR sites.last_seq < excluded.last_seq)';
  const pick = (column: string) => `${column} = CASE WHEN ${newer} THEN excluded.${column} ELSE sites.${column} END`;
  await db.query(
    `INSERT INTO sites (site_id, first_seen_ms, last_seen_ms, samples, last_seq, last_boot_id, last_wall_ms,
       last_clock_synced, last_uptime_ms, last_probes)
     SELECT site_id, seen, seen, n, seq, boot, wall, synced, uptime, probes
     FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::text[], $6::bigint[], $7::boolean[],
       $8::bigint[], $9::text[]) AS u(site_id, seen, n, seq, boot, wall, synced, uptime, probes)
     ON CONFLICT (site_id) DO UPDATE SET
       last_seen_ms = greatest(sites.last_seen_ms, excluded.last_seen_ms),
       samples = sites.samples + excluded.samples,
       ${['last_boot_id', 'last_wall_ms', 'last_clock_synced', 'last_uptime_ms', 'last_probes'].map(pick).join(', ')},
       ${pick('last_seq')}`,
    [
      siteRows.map(([id]) => id),
      siteRows.map(([, s]) => s.lastSeen),
      siteRows.map(([, s]) => s.count),
      siteRows.map(([, s]) => s.latest?.seq ?? null),
      siteRows.map(([, s]) => s.latest?.bootId ?? null),
      siteRows.map(([, s]) => s.latest?.wallMs ?? null),
      siteRows.map(([, s]) => s.latest?.clockSynced ?? null),
      siteRows.map(([, s]) => s.latest?.uptimeMs ?? null),
      siteRows.map(([, s]) => (s.latest === undefined ? null : JSON.stringify(s.latest.probes))),
    ],
  );

  const perItem = items.map(() => 0);
  for (const r of inserted) perItem[r.item] = (perItem[r.item] ?? 0) + 1;
  return items.map(({ batch }, i) => ({
    inserted: perItem[i] ?? 0,
    duplicates: batch.samples.length - (perItem[i] ?? 0),
  }));
}
