import { MS_PER_DAY } from '@pantau/shared';
import type Database from 'better-sqlite3';
import { type BatchRows, bootsOf, dayOf, fileSamples, type SampleRow } from '../batch-rows.js';
import type { CounterDelta } from '../counters.js';
import type { InsertResult } from '../records.js';
import { SAMPLE_COLUMNS } from '../report-rows.js';

const sqlValue = (v: number | boolean | string | null): number | string | null =>
  typeof v === 'boolean' ? (v ? 1 : 0) : v;

/**
 * One batch's insert into SQLite, its statements prepared once: the payload, each new sample's row,
 * the boot's offset and the re-basing it brings, the dirty site-days, the site row, and what the
 * batch adds to the counters. The caller runs it inside a transaction (a group commits at once),
 * writes the counters, and says whether any resend range is recorded (most of the time none is).
 */
export function prepareBatchInsert(
  db: Database.Database,
): (rows: BatchRows, delta: CounterDelta, anyAsked: boolean) => InsertResult {
  const insertSample = db.prepare(
    `INSERT INTO samples (${SAMPLE_COLUMNS.join(', ')}) VALUES (${SAMPLE_COLUMNS.map(() => '?').join(', ')})
     ON CONFLICT DO NOTHING`,
  );
  const insertPayload = db.prepare('INSERT INTO payloads (site_id, received_ms, payload) VALUES (?, ?, ?)');
  const deletePayload = db.prepare('DELETE FROM payloads WHERE id = ?');
  // One statement per batch for the site row: seen time, sample count and, since sequence numbers
  // only grow for a site (docs/protocol.md), the identity of the highest seq as the latest sample.
  const newer = 'excluded.last_seq IS NOT NULL AND (sites.last_seq IS NULL OR sites.last_seq < excluded.last_seq)';
  const upsertSite = db.prepare(
    `INSERT INTO sites (site_id, first_seen_ms, last_seen_ms, samples, last_seq, last_boot_id)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (site_id) DO UPDATE SET
       last_seen_ms = max(sites.last_seen_ms, excluded.last_seen_ms),
       samples = sites.samples + excluded.samples,
       last_boot_id = CASE WHEN ${newer} THEN excluded.last_boot_id ELSE sites.last_boot_id END,
       last_seq = CASE WHEN ${newer} THEN excluded.last_seq ELSE sites.last_seq END`,
  );
  const getOffset = db.prepare<[string, string], { offset_ms: number }>(
    'SELECT offset_ms FROM boots WHERE site_id = ? AND boot_id = ?',
  );
  const putOffset = db.prepare(
    'INSERT INTO boots (site_id, boot_id, offset_ms) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const bootDays = db.prepare<[string, string], { day: number }>(
    `SELECT DISTINCT (effective_ms / ${MS_PER_DAY}) * ${MS_PER_DAY} AS day FROM samples
     WHERE site_id = ? AND boot_id = ? AND time_quality = 'estimated'`,
  );
  const rebase = db.prepare(
    `UPDATE samples SET effective_ms = max(0, uptime_ms + ?), time_quality = 'corrected'
     WHERE site_id = ? AND boot_id = ? AND time_quality = 'estimated'`,
  );
  const correctedDays = db.prepare<[string, string], { day: number }>(
    `SELECT DISTINCT (effective_ms / ${MS_PER_DAY}) * ${MS_PER_DAY} AS day FROM samples
     WHERE site_id = ? AND boot_id = ? AND time_quality = 'corrected'`,
  );
  const markDirty = db.prepare('INSERT INTO dirty_days (site_id, day_ms) VALUES (?, ?) ON CONFLICT DO NOTHING');
  const asked = db.prepare<[string], { from_seq: number; to_seq: number }>(
    'SELECT from_seq, to_seq FROM resend_asks WHERE site_id = ?',
  );
  const values: (number | string | null)[] = new Array(SAMPLE_COLUMNS.length);

  return (batch: BatchRows, delta: CounterDelta, anyAsked: boolean): InsertResult => {
    const { siteId: site, receivedMs, samples } = batch;
    // The payload first: its id goes into each sample row. Dropped again if every sample was a duplicate.
    const payloadId = Number(insertPayload.run(site, receivedMs, batch.payload).lastInsertRowid);
    const known = new Map<string, number>();
    for (const boot of bootsOf(samples)) {
      const row = getOffset.get(site, boot);
      if (row !== undefined) known.set(boot, row.offset_ms);
    }
    const { times, newOffsets } = fileSamples(samples, receivedMs, known);
    const fresh: boolean[] = [];
    let inserted = 0;
    let latest: SampleRow | undefined;
    const days = new Set<number>();
    for (let i = 0; i < samples.length; i++) {
      const r = samples[i] as SampleRow;
      const time = times[i] as (typeof times)[number];
      values[0] = site;
      values[1] = r.bootId;
      values[2] = r.seq;
      values[3] = r.wallMs;
      values[4] = r.clockSynced ? 1 : 0;
      values[5] = r.uptimeMs;
      values[6] = receivedMs;
      values[7] = payloadId;
      values[8] = time.effectiveMs;
      values[9] = time.timeQuality;
      for (let k = 0; k < r.facts.length; k++) values[10 + k] = sqlValue(r.facts[k] ?? null);
      const isNew = insertSample.run(values).changes === 1;
      fresh.push(isNew);
      if (!isNew) continue;
      inserted += 1;
      days.add(dayOf(time.effectiveMs));
      if (latest === undefined || r.seq > latest.seq) latest = r;
    }
    for (const [boot, offset] of newOffsets) {
      putOffset.run(site, boot, offset);
      for (const { day } of bootDays.all(site, boot)) days.add(day);
      rebase.run(offset, site, boot);
      for (const { day } of correctedDays.all(site, boot)) days.add(day);
    }
    for (const day of days) markDirty.run(site, day);
    if (inserted === 0) deletePayload.run(payloadId);
    upsertSite.run(site, receivedMs, receivedMs, inserted, latest?.seq ?? null, latest?.bootId ?? null);
    delta.add('duplicates', '', samples.length - inserted);
    for (const f of batch.implausible) if (fresh[f.sample] === true) delta.add('implausible', f.field, 1);
    if (anyAsked && inserted > 0) delta.add('recovered', '', countRecovered(asked.all(site), samples, fresh));
    return { inserted, duplicates: samples.length - inserted };
  };
}

/** New samples whose seq lies in a range the collector asked the site to resend. */
function countRecovered(
  ranges: readonly { from_seq: number; to_seq: number }[],
  samples: readonly SampleRow[],
  fresh: readonly boolean[],
): number {
  if (ranges.length === 0) return 0;
  let n = 0;
  for (let i = 0; i < samples.length; i++) {
    const seq = (samples[i] as SampleRow).seq;
    if (fresh[i] === true && ranges.some((r) => seq >= r.from_seq && seq <= r.to_seq)) n += 1;
  }
  return n;
}
