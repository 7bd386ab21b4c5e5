import { decodePayload, type Logger } from '@pantau/shared';
import type { Publisher } from './mqtt/publisher.js';
import type { SeqRange, Spool } from './spool/spool.js';

export interface ResendResponderOptions {
  readonly siteId: string;
  readonly maxBatchSamples: number;
  /** The most samples one request is answered with; the collector asks again for the rest. */
  readonly maxSamplesPerRequest: number;
}

/** The most `gone` ranges one reply carries (the contract's bound). */
const MAX_GONE_RANGES = 1000;

/**
 * Answers the collector's resend requests from the spool: the held samples go out again as
 * ordinary telemetry batches (the collector stores each identity once), then a reply lists the
 * ranges the spool no longer holds, so the collector stops asking for them.
 */
export function createResendResponder(
  options: ResendResponderOptions,
  deps: { readonly spool: Spool; readonly publisher: Publisher; readonly log: Logger },
) {
  const { spool, publisher, log } = deps;
  return async function handle(payload: Buffer): Promise<void> {
    const decoded = decodePayload('resend', payload);
    if (!decoded.ok) {
      log.warn({ event: 'resend_rejected', code: decoded.code }, decoded.message);
      return;
    }
    const request = decoded.value;
    if (request.siteId !== options.siteId) {
      log.warn({ event: 'resend_rejected', code: 'site_mismatch', siteId: request.siteId }, 'request for another site');
      return;
    }
    // Read and sent one batch at a time: a request for 10,000 samples never holds more than one
    // batch in memory (the agent runs with a capped heap, see main.ts).
    const gone: SeqRange[] = [];
    let resent = 0;
    let fromSeq = request.fromSeq;
    const lastSeq = Math.min(request.toSeq, spool.lastSeq);
    while (fromSeq <= lastSeq && resent < options.maxSamplesPerRequest) {
      const max = Math.min(options.maxBatchSamples, options.maxSamplesPerRequest - resent);
      const chunk = spool.range(fromSeq, request.toSeq, max);
      if (gone.length < MAX_GONE_RANGES) gone.push(...chunk.gone);
      const batch = chunk.samples;
      // The chunk covers up to its last sample or its last gone range; the rest is the next one's.
      const covered = Math.max(batch.at(-1)?.seq ?? -1, chunk.gone.at(-1)?.toSeq ?? -1);
      if (batch.length > 0) {
        const sent = await publisher.publishSamples(batch);
        // Without a reply the collector asks again later: nothing is lost by stopping here.
        if (!sent.ok) {
          log.warn({ event: 'resend_interrupted', code: sent.code, requestId: request.requestId }, sent.message);
          return;
        }
        spool.markSent(batch.map((s) => s.seq));
        resent += batch.length;
      }
      if (covered < fromSeq) break;
      fromSeq = covered + 1;
    }
    const reply = await publisher.publishResendReply({
      v: 1,
      requestId: request.requestId,
      siteId: options.siteId,
      resentSamples: resent,
      gone: gone.slice(0, MAX_GONE_RANGES).map((r) => ({ fromSeq: r.fromSeq, toSeq: r.toSeq })),
    });
    log.info(
      {
        event: 'resend_answered',
        requestId: request.requestId,
        fromSeq: request.fromSeq,
        toSeq: request.toSeq,
        resent,
        goneRanges: gone.length,
        ok: reply.ok,
      },
      'answered a resend request',
    );
  };
}
