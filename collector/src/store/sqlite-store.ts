import type { SiteStatus } from '@pantau/shared';
import { MS_PER_DAY } from '@pantau/shared';
import Database from 'better-sqlite3';
import { type PackedBatch, packBatch } from './packed-batch.js';
import { probesInPayload } from './payload-probes.js';
import { computeDay, type FactRow, GAP_WINDOW_SEQS, subtractRanges } from './rollup.js';
import { type RollupRow, rollupFromRow, type SiteRow, toSummary } from './rows.js';
import { prepareSqliteInsert } from './sqlite-insert.js';
import { sqliteMigrations } from './sqlite-migrations.js';
import type { InsertResult, SeqRange, StatusOutcome, Store, StoredReject, StoredSample } from './store.js';

const FACT_COLUMNS = `seq, effective_ms AS effectiveMs, rx_bytes AS rxBytes, tx_bytes AS txBytes,
  client_rx_bytes AS clientRxBytes, client_tx_bytes AS clientTxBytes, clients, battery_volts AS batteryVolts,
  rtt_gateway_ms AS rttGatewayMs, rtt_terminal_ms AS rttTerminalMs, rtt_internet_ms AS rttInternetMs,
  rtt_noc_ms AS rttNocMs`;

/**
 * Payloads are kept this long past the retention horizon of their receipt. A sample is filed at most
 * a day after its receipt (ingest rejects a synchronised clock further ahead; re-based times derive
 * from such clocks), so its payload outlives it, whatever its effective time.
 */
const PAYLOAD_MARGIN_MS = 2 * MS_PER_DAY;

/** Payloads deleted per statement when pruning. */
const PAYLOAD_PRUNE_CHUNK = 10_000;

/** Site-days recomputed per roll-up transaction. */
const ROLLUP_DAYS_PER_TRANSACTION = 200;

/** The SQLite store's work, on whichever thread holds the connection (sqlite-worker-store.ts). */
export interface SqliteCore extends Omit<Store, 'insertBatch' | 'insertBatches' | 'commitsOffThread'> {
  /** Batches packed by `packBatch`, in one transaction; results in the same order. */
  insertPacked(batches: readonly PackedBatch[]): Promise<InsertResult[]>;
}

/**
 * SQLite via better-sqlite3 in WAL mode, on the calling thread. Writes are synchronous and commit in
 * microseconds, so the collector can acknowledge a message right after its transaction.
 */
export function openSqliteStore(path: string): Store {
  const core = openSqliteCore(path);
  const { insertPacked, ...rest } = core;
  return {
    ...rest,
    insertBatch: async (batch, receivedMs, payload) =>
      (await insertPacked([packBatch({ batch, receivedMs, payload })]))[0] ?? { inserted: 0, duplicates: 0 },
    insertBatches: (items) => insertPacked(items.map(packBatch)),
  };
}

/** The connection, its migrations and statements, on the thread that holds them (this one, or sqlite-worker.ts). */
export function openSqliteCore(path: string): SqliteCore {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL mode: COMMIT returns once the transaction's frames are written to the WAL file
  // (in the OS page cache), without an fsync; SQLite fsyncs at checkpoints. So a commit survives a
  // crash or SIGKILL of the collector (the kernel still writes the page cache out), which is what
  // acknowledging after commit needs. Only an OS crash or power cut at the NOC may lose the last
  // transactions since a checkpoint; the gap tracker's resend requests repair that end to end.
  db.pragma('synchronous = NORMAL');
  // Checkpoint every 64 MiB of WAL instead of 4 MiB: pages that every commit rewrites (index
  // interior pages, the table's tail) are copied to the database once per checkpoint, and fsyncs
  // are rarer. bench:ingest: 4-8 % more samples/s in two A/B pairs (docs/storage.md).
  db.pragma('wal_autocheckpoint = 16000');
  db.pragma('busy_timeout = 5000');
  // 64 MiB of page cache: index inserts for 100,000 sites land on random pages.
  db.pragma('cache_size = -65536');
  migrate(db);

  const selectPayload = db.prepare<[number], { payload: Buffer }>('SELECT payload FROM payloads WHERE id = ?');
  // A site's latest payload stays while the site row names it, however old.
  const prunePayloads = db.prepare(
    `DELETE FROM payloads WHERE id IN (SELECT id FROM payloads WHERE received_ms < ?
       AND id NOT IN (SELECT last_payload_id FROM sites WHERE last_payload_id IS NOT NULL) LIMIT ${PAYLOAD_PRUNE_CHUNK})`,
  );
  const touchSite = db.prepare(
    `INSERT INTO sites (site_id, first_seen_ms, last_seen_ms) VALUES (?, ?, ?)
     ON CONFLICT (site_id) DO UPDATE SET last_seen_ms = max(last_seen_ms, excluded.last_seen_ms)`,
  );
  const getStatus = db.prepare<[string], Pick<SiteRow, 'status_epoch' | 'status_reason'>>(
    'SELECT status_epoch, status_reason FROM sites WHERE site_id = ?',
  );
  const setStatus = db.prepare(
    `UPDATE sites SET status_state = ?, status_reason = ?, status_epoch = ?, status_agent = ?,
       status_received_ms = ? WHERE site_id = ?`,
  );
  const selectSites = db.prepare<[], SiteRow>('SELECT * FROM sites ORDER BY site_id');
  const selectSamples = db.prepare<[string], Omit<StoredSample, 'clockSynced'> & { clockSynced: number }>(
    `SELECT site_id AS siteId, boot_id AS bootId, seq, wall_ms AS wallMs, clock_synced AS clockSynced,
       uptime_ms AS uptimeMs, effective_ms AS effectiveMs, time_quality AS timeQuality, received_ms AS receivedMs
     FROM samples WHERE site_id = ? ORDER BY seq, boot_id`,
  );
  const insertReject = db.prepare(
    'INSERT INTO rejects (received_ms, reason, detail, topic, first_bytes_hex) VALUES (?, ?, ?, ?, ?)',
  );
  const trimRejects = db.prepare('DELETE FROM rejects WHERE id <= ?');
  const selectRejects = db.prepare<[number], StoredReject>(
    `SELECT reason, detail, topic, first_bytes_hex AS firstBytesHex, received_ms AS receivedMs
     FROM rejects ORDER BY id DESC LIMIT ?`,
  );
  const selectReceived = db.prepare<[string], SeqRange>(
    `SELECT min(seq) AS fromSeq, max(seq) AS toSeq FROM (
       SELECT seq, seq - row_number() OVER (ORDER BY seq) AS grp FROM (SELECT DISTINCT seq FROM samples WHERE site_id = ?)
     ) GROUP BY grp ORDER BY fromSeq`,
  );
  // Holes between consecutive received seqs, leaving out those a gone range covers whole.
  const selectMissing = db.prepare<[string, string, string, string, number], SeqRange>(
    `SELECT fromSeq, toSeq FROM (
       SELECT seq + 1 AS fromSeq, next - 1 AS toSeq FROM (
         SELECT seq, lead(seq) OVER (ORDER BY seq) AS next FROM samples
         WHERE site_id = ? AND seq >= coalesce((
           SELECT max(s2.seq) FROM samples s2 WHERE s2.site_id = ?
             AND s2.seq < (SELECT max(s3.seq) FROM samples s3 WHERE s3.site_id = ?) - ${GAP_WINDOW_SEQS}), 0)
       ) WHERE next > seq + 1
     ) AS m WHERE NOT EXISTS (
       SELECT 1 FROM gone_ranges g WHERE g.site_id = ? AND g.from_seq <= m.fromSeq AND g.to_seq >= m.toSeq
     ) ORDER BY fromSeq LIMIT ?`,
  );
  const selectGone = db.prepare<[string], SeqRange>(
    'SELECT from_seq AS fromSeq, to_seq AS toSeq FROM gone_ranges WHERE site_id = ?',
  );
  const insertGone = db.prepare('INSERT INTO gone_ranges VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
  const selectDirty = db.prepare<[number], { site_id: string; day_ms: number }>(
    'SELECT site_id, day_ms FROM dirty_days LIMIT ?',
  );
  const deleteDirty = db.prepare('DELETE FROM dirty_days WHERE site_id = ? AND day_ms = ?');
  const selectDayFacts = db.prepare<[string, number, number], FactRow>(
    `SELECT ${FACT_COLUMNS} FROM samples WHERE site_id = ? AND effective_ms >= ? AND effective_ms < ?`,
  );
  const previousSeq = db.prepare<[string, number], { s: number | null }>(
    'SELECT max(seq) AS s FROM samples WHERE site_id = ? AND seq < ?',
  );
  const deleteRollups = db.prepare('DELETE FROM rollups WHERE site_id = ? AND bucket_ms >= ? AND bucket_ms < ?');
  const insertRollup = db.prepare(
    `INSERT INTO rollups (site_id, grain, bucket_ms, samples, online_minutes, active_minutes, rx_bytes, tx_bytes,
       client_rx_bytes, client_tx_bytes, latency, battery_min_volts, battery_max_volts, clients_max, received, expected)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const selectRollups = db.prepare<[string, string, number, number], RollupRow>(
    'SELECT * FROM rollups WHERE site_id = ? AND grain = ? AND bucket_ms >= ? AND bucket_ms < ? ORDER BY bucket_ms',
  );
  const getMeta = db.prepare<[string], { value: number }>('SELECT value FROM meta WHERE key = ?');
  const putMeta = db.prepare(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = max(value, excluded.value)',
  );
  const siteIds = db.prepare<[], { site_id: string }>('SELECT site_id FROM sites');
  const pruneSite = db.prepare('DELETE FROM samples WHERE site_id = ? AND effective_ms < ?');

  const insertOne = prepareSqliteInsert(db);

  const insertPackedTx = db.transaction((batches: readonly PackedBatch[]) => batches.map(insertOne));

  /** The latest sample's probes of a site row: in the payload it names, or (stored before payloads) as JSON. */
  function latestProbes(row: SiteRow) {
    if (row.last_payload_id === null || row.last_payload_id === undefined || row.last_seq === null) return undefined;
    const stored = selectPayload.get(row.last_payload_id);
    if (stored === undefined) return undefined;
    return probesInPayload(stored.payload, row.site_id, row.last_boot_id ?? '', row.last_seq);
  }

  const applyStatusTx = db.transaction((status: SiteStatus, receivedMs: number): StatusOutcome => {
    touchSite.run(status.siteId, receivedMs, receivedMs);
    const current = getStatus.get(status.siteId);
    const currentEpoch = current?.status_epoch ?? null;
    // A will (or any status) from an older connection than the one we know is history, not news.
    if (currentEpoch !== null && status.epoch < currentEpoch) return 'stale';
    setStatus.run(status.state, status.reason, status.epoch, status.agentVersion, receivedMs, status.siteId);
    return 'applied';
  });

  const recordRejectTx = db.transaction((r: StoredReject, keep: number) => {
    const id = Number(insertReject.run(r.receivedMs, r.reason, r.detail, r.topic, r.firstBytesHex).lastInsertRowid);
    if (id > keep) trimRejects.run(id - keep);
  });

  const refreshDayTx = db.transaction((siteId: string, dayMs: number) => {
    deleteDirty.run(siteId, dayMs);
    // Days older than the retention horizon keep the roll-up made while their samples existed.
    if (dayMs < (getMeta.get('pruned_before_ms')?.value ?? 0)) return;
    const rows = selectDayFacts.all(siteId, dayMs, dayMs + MS_PER_DAY);
    deleteRollups.run(siteId, dayMs, dayMs + MS_PER_DAY);
    if (rows.length === 0) return;
    const { day, hours } = computeDay(siteId, dayMs, rows, (below) => previousSeq.get(siteId, below)?.s ?? null);
    for (const r of [day, ...hours]) {
      insertRollup.run(
        r.siteId,
        r.grain,
        r.bucketMs,
        r.samples,
        r.onlineMinutes,
        r.activeMinutes,
        r.rxBytes,
        r.txBytes,
        r.clientRxBytes,
        r.clientTxBytes,
        JSON.stringify(r.latency),
        r.batteryMinVolts,
        r.batteryMaxVolts,
        r.clientsMax,
        r.received,
        r.expected,
      );
    }
  });

  const refreshDaysTx = db.transaction((days: readonly { site_id: string; day_ms: number }[]) => {
    for (const d of days) refreshDayTx(d.site_id, d.day_ms);
  });

  return {
    insertPacked: async (batches) => insertPackedTx(batches),
    applyStatus: async (status, receivedMs) => applyStatusTx(status, receivedMs),
    listSites: async () => selectSites.all().map((row) => toSummary(row, latestProbes(row))),
    listSamples: async (siteId) => selectSamples.all(siteId).map((s) => ({ ...s, clockSynced: s.clockSynced === 1 })),
    recordReject: async (r, keep) => recordRejectTx(r, keep),
    listRejects: async (limit) => selectRejects.all(limit),
    receivedRanges: async (siteId) => selectReceived.all(siteId),
    async missingRanges(siteId, limit) {
      return subtractRanges(selectMissing.all(siteId, siteId, siteId, siteId, limit), selectGone.all(siteId)).slice(
        0,
        limit,
      );
    },
    async markGone(siteId, ranges) {
      db.transaction(() => {
        for (const r of ranges) insertGone.run(siteId, r.fromSeq, r.toSeq);
      })();
    },
    async refreshRollups(limit) {
      const dirty = selectDirty.all(limit);
      // Many site-days per transaction: a commit per site-day cost more than the roll-up itself
      // (bench/src/ingest-stages.ts). Between chunks ingest gets the event loop back.
      for (let i = 0; i < dirty.length; i += ROLLUP_DAYS_PER_TRANSACTION) {
        if (i > 0) await new Promise((resolve) => setImmediate(resolve));
        refreshDaysTx(dirty.slice(i, i + ROLLUP_DAYS_PER_TRANSACTION));
      }
      return dirty.length;
    },
    rollups: async (siteId, grain, fromMs, toMs) => selectRollups.all(siteId, grain, fromMs, toMs).map(rollupFromRow),
    async completeness(siteId, fromMs, toMs) {
      return selectRollups.all(siteId, 'day', fromMs, toMs).map((r) => ({
        siteId,
        dayMs: r.bucket_ms,
        received: r.received,
        expected: r.expected,
        completeness: r.expected === 0 ? 1 : r.received / r.expected,
      }));
    },
    async pruneSamples(beforeMs) {
      putMeta.run('pruned_before_ms', beforeMs);
      let deleted = 0;
      // Per site, so the delete walks the (site_id, effective_ms) index instead of the whole table.
      for (const { site_id } of siteIds.all()) deleted += pruneSite.run(site_id, beforeMs).changes;
      while (prunePayloads.run(beforeMs - PAYLOAD_MARGIN_MS).changes === PAYLOAD_PRUNE_CHUNK) {
        // Chunked, so a backlog of payloads does not hold the event loop in one statement.
        await new Promise((resolve) => setImmediate(resolve));
      }
      return deleted;
    },
    async close() {
      if (db.open) db.close();
    },
  };
}

function migrate(db: Database.Database): void {
  const applied = db.pragma('user_version', { simple: true }) as number;
  for (let i = applied; i < sqliteMigrations.length; i++) {
    db.transaction(() => {
      db.exec(sqliteMigrations[i] ?? '');
      db.pragma(`user_version = ${i + 1}`);
    })();
  }
}
