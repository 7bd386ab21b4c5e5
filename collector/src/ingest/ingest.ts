import {
  type DecodeContext,
  fail,
  type Logger,
  parseTopic,
  type ResendReply,
  type SiteStatus,
  type TelemetryBatch,
} from '@pantau/shared';
import { decodeIngestPayload, prepareIngestDecoders } from '../decode/index.js';
import type { BatchItem, InsertResult } from '../store/records.js';
import type { IngestStore } from '../store/store.js';
import type { GroupCommitter } from './group-commit.js';
import { applyPlausibility } from './plausibility.js';
import { type RejectReason, Rejects } from './rejects.js';
import { checkTimeBounds, type TimeBounds } from './time-bounds.js';

export interface IngestOptions {
  readonly topicRoot: string;
  readonly maxPayloadBytes: number;
  readonly quarantineSize: number;
  /** Plausible wall times of synchronised samples; default: a day ahead, 91 days behind. */
  readonly timeBounds?: TimeBounds | undefined;
}

export interface IngestDeps {
  readonly store: IngestStore;
  readonly log: Logger;
  readonly nowMs: () => number;
  /** Group commit across connections; without it each batch commits on its own. */
  readonly committer?: GroupCommitter | undefined;
  /** Told after a site's samples are stored (the gap tracker listens). */
  readonly onSamples?: ((siteId: string) => void) | undefined;
  /** Told of a site's answer to a resend request. */
  readonly onResendReply?: ((reply: ResendReply) => Promise<void>) | undefined;
  /**
   * Told of each stored batch and each status that is not stale (health listens). A promise it
   * returns is waited for before the message is acknowledged: the listener's backpressure.
   */
  readonly onBatch?: ((batch: TelemetryBatch, receivedMs: number) => Promise<void> | undefined) | undefined;
  readonly onStatus?: ((status: SiteStatus, receivedMs: number) => Promise<void> | undefined) | undefined;
}

export interface IngestCounters {
  readonly messages: number;
  readonly samplesStored: number;
  readonly duplicates: number;
  readonly staleStatuses: number;
  readonly resendReplies: number;
  readonly rejected: number;
  readonly rejectsByReason: Readonly<Partial<Record<RejectReason, number>>>;
  /** Rejects the quarantine table could not keep (store error); they are still counted. */
  readonly quarantineWriteFailures: number;
}

/** A store that failed: the message must not be acknowledged, so the broker delivers it again. */
export class StoreFailure extends Error {
  override readonly name = 'StoreFailure';
}

const DEFAULT_BOUNDS: TimeBounds = { futureMs: 86_400_000, pastMs: 91 * 86_400_000 };
const handledKinds = new Set(['telemetry', 'status', 'resend-reply']);

/** Control characters (NUL above all, which PostgreSQL text refuses) never reach the quarantine table. */
function printable(text: string, max: number): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  return text.slice(0, max).replace(/[\u0000-\u001f\u007f]/g, '?');
}

/**
 * The decoder's verdict on a payload. A decoder that throws (a bug in it) must not leave the
 * message unacknowledged, or the broker would deliver it again at every restart: it is a reject.
 */
function decodeOrReject(
  kind: 'telemetry' | 'status' | 'resend-reply',
  payload: Uint8Array,
  maxBytes: number,
  context: DecodeContext,
) {
  try {
    return decodeIngestPayload(kind, payload, maxBytes, context);
  } catch (error) {
    return fail('decoder_crashed', `the decoder failed on this payload: ${(error as Error).message}`);
  }
}

/**
 * Validates one message and stores what it holds. A bad message is rejected, counted, quarantined
 * and acknowledged (it will never become valid); only a store failure rejects the promise.
 */
export function createIngest(options: IngestOptions, deps: IngestDeps) {
  const rejects = new Rejects(options.quarantineSize);
  const bounds = options.timeBounds ?? DEFAULT_BOUNDS;
  const lastLogMs = new Map<RejectReason, number>();
  let messages = 0;
  let samplesStored = 0;
  let duplicates = 0;
  let staleStatuses = 0;
  let resendReplies = 0;
  let quarantineWriteFailures = 0;

  async function reject(reason: RejectReason, detail: string, topic: string, payload: Uint8Array): Promise<void> {
    const now = deps.nowMs();
    const entry = rejects.record(reason, printable(detail, 300), printable(topic, 300), payload, now);
    try {
      await deps.store.recordReject(entry, options.quarantineSize);
    } catch (error) {
      // A reject never stops ingest, not even when the quarantine cannot be written.
      quarantineWriteFailures += 1;
      deps.log.debug({ event: 'quarantine_write_failed', err: error }, 'could not keep a reject');
    }
    // One line per reason per 10 s: a flood of garbage must not flood the log too.
    const last = lastLogMs.get(reason);
    if (last === undefined || now - last >= 10_000) {
      lastLogMs.set(reason, now);
      deps.log.warn(
        {
          event: 'message_rejected',
          reason,
          topic: entry.topic,
          detail: entry.detail,
          total: rejects.byReason()[reason],
        },
        'rejected a message; see the quarantine for its first bytes and check the sender against docs/protocol.md',
      );
    }
  }

  const lastImplausibleLogMs = new Map<string, number>();
  /** One line per figure per 10 s, like rejects; the store counts each figure of a new sample. */
  function warnImplausible(siteId: string, figures: readonly { readonly field: string }[], now: number): void {
    for (const { field } of figures) {
      const last = lastImplausibleLogMs.get(field);
      if (last !== undefined && now - last < 10_000) continue;
      lastImplausibleLogMs.set(field, now);
      deps.log.warn(
        { event: 'implausible_value', siteId, field },
        'stored null instead of an implausible figure (docs/protocol.md, "Plausible ranges"); ' +
          'check the sensor or driver at the site',
      );
    }
  }

  async function insert(item: BatchItem): Promise<InsertResult> {
    if (deps.committer !== undefined) return deps.committer.insert(item);
    const [result] = await deps.store.insertBatches([item]);
    return result ?? { inserted: 0, duplicates: 0 };
  }

  const inflight = new Set<Promise<void>>();

  /** Tracks each message until it is stored or rejected, so `drain()` can wait before the store closes. */
  function handle(topic: string, payload: Uint8Array): Promise<void> {
    const work = handleOne(topic, payload);
    const tracked = work.then(
      () => {},
      () => {},
    );
    inflight.add(tracked);
    void tracked.finally(() => inflight.delete(tracked));
    return work;
  }

  async function handleOne(topic: string, payload: Uint8Array): Promise<void> {
    messages += 1;
    const receivedMs = deps.nowMs();
    const parsed = parseTopic(options.topicRoot, topic);
    if (parsed === null || !handledKinds.has(parsed.kind)) {
      return reject('unknown_topic', 'not a telemetry, status or resend-reply topic', topic, payload);
    }
    const kind = parsed.kind as 'telemetry' | 'status' | 'resend-reply';
    const decoded = decodeOrReject(kind, payload, options.maxPayloadBytes, { siteId: parsed.siteId });
    if (!decoded.ok) return reject(decoded.code, decoded.message, topic, payload);
    const message = decoded.value;
    if (message.siteId !== parsed.siteId) {
      return reject(
        'site_mismatch',
        `payload says site ${message.siteId}, topic says ${parsed.siteId}`,
        topic,
        payload,
      );
    }
    if ('samples' in message) {
      const outOfBounds = checkTimeBounds(message, receivedMs, bounds);
      if (outOfBounds !== null) return reject('time_out_of_bounds', outOfBounds, topic, payload);
    }
    try {
      if ('samples' in message) {
        const { batch, implausible } = applyPlausibility(message);
        if (implausible.length > 0) warnImplausible(batch.siteId, implausible, receivedMs);
        const result = await insert({ batch, receivedMs, payload, implausible });
        samplesStored += result.inserted;
        duplicates += result.duplicates;
        deps.onSamples?.(message.siteId);
        await deps.onBatch?.(batch, receivedMs);
      } else if ('requestId' in message) {
        await deps.onResendReply?.(message);
        resendReplies += 1;
      } else if ((await deps.store.applyStatus(message, receivedMs)) === 'stale') {
        staleStatuses += 1;
      } else {
        await deps.onStatus?.(message, receivedMs);
      }
    } catch (error) {
      throw new StoreFailure(`storing a message from ${parsed.siteId} failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  return {
    handle,
    /** Compiles the decoders' checks (ajv generates their code) before the first message arrives. */
    prepare: prepareIngestDecoders,
    /** Resolves once every message handed over so far is stored or rejected. */
    async drain(): Promise<void> {
      while (inflight.size > 0) await Promise.all(inflight);
    },
    rejects,
    counters(): IngestCounters {
      return {
        messages,
        samplesStored,
        duplicates,
        staleStatuses,
        resendReplies,
        rejected: rejects.total,
        rejectsByReason: rejects.byReason(),
        quarantineWriteFailures,
      };
    },
  };
}
export type Ingest = ReturnType<typeof createIngest>;
