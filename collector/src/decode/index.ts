/**
 * The collector's payload decoder: shared's spec-following decoder with the collector's
 * accelerators plugged in (a cache of inflated structures, generated sample builders, the compiled
 * canonical check). Each gives exactly what the plain path gives; they only make ingest faster.
 * They live here, not in shared, so the agent never carries them.
 */
import { createPayloadDecoder, type PayloadDecoder, type PayloadKind, payloadSchemas } from '@pantau/shared';
import { type CanonicalCheck, compileCanonicalCheck } from './canonical-check.js';
import { createSampleBuilders } from './sample-builders.js';
import { createStructureCache } from './structure-cache.js';

export { type CanonicalCheck, compileCanonicalCheck, hasRefinement } from './canonical-check.js';

const canonicalChecks: Record<PayloadKind, CanonicalCheck> = {
  telemetry: compileCanonicalCheck(payloadSchemas.telemetry),
  status: compileCanonicalCheck(payloadSchemas.status),
  resend: compileCanonicalCheck(payloadSchemas.resend),
  'resend-reply': compileCanonicalCheck(payloadSchemas['resend-reply']),
  alert: compileCanonicalCheck(payloadSchemas.alert),
};

/** Decodes what ingest receives; the same results as shared's decodePayload, faster. */
export const decodeIngestPayload: PayloadDecoder = createPayloadDecoder({
  inflateStructure: createStructureCache(),
  buildSamples: createSampleBuilders(),
  isCanonical: (kind, value) => canonicalChecks[kind](value),
});

/** Compiles the checks of what ingest receives now, so the first messages do not pay for it. */
export function prepareIngestDecoders(): void {
  for (const kind of ['telemetry', 'status', 'resend-reply'] as const) canonicalChecks[kind].prepare();
}
