import { encodePayload, type Logger, MAX_RESEND_SPAN, type ResendReply, siteTopic } from '@pantau/shared';
import type { SeqRange } from '../store/records.js';
import type { GapStore } from '../store/store.js';

export interface GapTrackerOptions {
  readonly topicRoot: string;
  /** How long a hole may stay open before the site is asked (the batch behind it may be on its way). */
  readonly graceMs: number;
  /** Time between two requests for the same hole. */
  readonly retryMs: number;
  /** Requests per hole; after that it is given up and counts as missing. */
  readonly maxAttempts: number;
  /** Holes looked at per site and scan. */
  readonly maxRangesPerSite: number;
  /** Sites looked at per scan; the rest wait for the next one. */
  readonly maxSitesPerScan: number;
  /** Sites with open holes tracked at once; beyond it new sites are dropped (and counted) until a scan frees room. */
  readonly maxTrackedSites: number;
}

export interface GapTrackerDeps {
  readonly store: GapStore;
  /** Publishes QoS 1 to the broker; rejects when it cannot. */
  readonly publish: (topic: string, payload: Buffer) => Promise<void>;
  readonly nowMs: () => number;
  readonly log: Logger;
}

export interface GapStats {
  readonly requestsSent: number;
  readonly publishFailures: number;
  /** Requests sent that the store could not record (not counted in `stats`; their samples not counted as recovered). */
  readonly recordFailures: number;
  readonly openRanges: number;
  readonly givenUpRanges: number;
  readonly goneSeqs: number;
  readonly droppedSites: number;
}

interface HoleState {
  readonly firstSeenMs: number;
  attempts: number;
  lastAskMs: number;
}

/**
 * Watches each site's sequence numbers for holes and asks the site to send a hole again
 * (docs/protocol.md, "Resend request and reply") once it has stayed open for the grace period.
 * The holes themselves live in the store, so several collectors see the same ones.
 */
export function createGapTracker(options: GapTrackerOptions, deps: GapTrackerDeps) {
  const dirty = new Set<string>();
  const holes = new Map<string, Map<string, HoleState>>();
  let requests = 0;
  let requestsSent = 0;
  let publishFailures = 0;
  let recordFailures = 0;
  let goneSeqs = 0;
  let droppedSites = 0;

  function noteSite(siteId: string): void {
    if (dirty.has(siteId) || holes.has(siteId)) {
      dirty.add(siteId);
      return;
    }
    if (dirty.size + holes.size >= options.maxTrackedSites) {
      droppedSites += 1;
      return;
    }
    dirty.add(siteId);
  }

  async function ask(siteId: string, range: SeqRange, now: number): Promise<void> {
    requests += 1;
    const toSeq = Math.min(range.toSeq, range.fromSeq + MAX_RESEND_SPAN - 1);
    const payload = encodePayload('resend', {
      v: 1,
      requestId: `r-${now.toString(36)}-${requests.toString(36)}`,
      siteId,
      fromSeq: range.fromSeq,
      toSeq,
      requestedAtMs: now,
    });
    try {
      await deps.publish(siteTopic(options.topicRoot, siteId, 'resend'), payload);
      requestsSent += 1;
    } catch (error) {
      publishFailures += 1;
      deps.log.warn({ event: 'resend_publish_failed', siteId, err: error }, 'could not ask a site to resend');
      return;
    }
    try {
      // After the broker's PUBACK: the store counts requests that were sent.
      await deps.store.recordResendRequest(siteId, { fromSeq: range.fromSeq, toSeq }, now);
    } catch (error) {
      recordFailures += 1;
      deps.log.warn(
        { event: 'resend_record_failed', siteId, err: error },
        'sent a resend request the store could not record',
      );
    }
  }

  async function scanSite(siteId: string, now: number): Promise<void> {
    const missing = await deps.store.missingRanges(siteId, options.maxRangesPerSite);
    const before = holes.get(siteId) ?? new Map<string, HoleState>();
    const after = new Map<string, HoleState>();
    for (const range of missing) {
      const key = `${range.fromSeq}-${range.toSeq}`;
      const state = before.get(key) ?? { firstSeenMs: now, attempts: 0, lastAskMs: 0 };
      after.set(key, state);
      if (state.attempts >= options.maxAttempts) continue;
      if (now - state.firstSeenMs < options.graceMs) continue;
      if (state.attempts > 0 && now - state.lastAskMs < options.retryMs) continue;
      state.attempts += 1;
      state.lastAskMs = now;
      await ask(siteId, range, now);
    }
    if (after.size === 0) holes.delete(siteId);
    else holes.set(siteId, after);
  }

  return {
    noteSite,
    /** Looks at sites with new data or open holes; returns how many it looked at. */
    async scan(): Promise<number> {
      const now = deps.nowMs();
      const sites = [...new Set([...dirty, ...holes.keys()])].slice(0, options.maxSitesPerScan);
      for (const siteId of sites) {
        dirty.delete(siteId);
        await scanSite(siteId, now);
      }
      return sites.length;
    },
    /** The site no longer holds `gone`: stop asking; those count as permanently missing. */
    async onReply(reply: ResendReply): Promise<void> {
      if (reply.gone.length > 0) await deps.store.markGone(reply.siteId, reply.gone);
      for (const g of reply.gone) goneSeqs += g.toSeq - g.fromSeq + 1;
      noteSite(reply.siteId);
    },
    stats(): GapStats {
      let openRanges = 0;
      let givenUpRanges = 0;
      for (const site of holes.values()) {
        for (const h of site.values()) {
          if (h.attempts >= options.maxAttempts) givenUpRanges += 1;
          else openRanges += 1;
        }
      }
      return { requestsSent, publishFailures, recordFailures, openRanges, givenUpRanges, goneSeqs, droppedSites };
    },
  };
}
export type GapTracker = ReturnType<typeof createGapTracker>;
