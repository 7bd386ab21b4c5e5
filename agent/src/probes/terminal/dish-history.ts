import { fail, ok, type Result } from '@pantau/shared';
import { type DishAnswerErrorCode, type DishOutage, dishPart, tryReadOutage } from './dish-status.js';
import { readFields, repeatedFloats, repeatedMessages, varintField } from './protobuf.js';
import { HISTORY, RESPONSE } from './starlink-wire.js';

export type DishHistoryErrorCode = DishAnswerErrorCode | 'history_missing';

/**
 * The dish's per-second history: ring buffers of one value a second, and `counter`, the number of
 * seconds written since the dish booted. The value for second k (0-based since boot) is at index
 * k mod length (as starlink-grpc-tools' _compute_sample_range reads it). A buffer the firmware
 * does not send is null.
 */
export interface DishHistory {
  readonly counter: number;
  readonly length: number;
  readonly popPingDropRate: Float32Array;
  readonly popPingLatencyMs: Float32Array | null;
  readonly downlinkBps: Float32Array | null;
  readonly uplinkBps: Float32Array | null;
  /** Outages the dish lists, oldest first as sent. */
  readonly outages: readonly DishOutage[];
}

/** A dish lists its recent outages; a list longer than this is not read further. */
const MAX_OUTAGES = 1000;

export function parseDishHistory(response: Uint8Array): Result<DishHistory, DishHistoryErrorCode> {
  const part = dishPart(response, RESPONSE.dishGetHistory, 'dish_get_history');
  if (!part.ok) return part;
  const fields = part.value;
  const bad = (message: string) => fail('terminal_bad_response', message);
  const current = varintField(fields, HISTORY.current);
  if (!current.ok) return bad(current.message);
  if ((current.value ?? 0n) > BigInt(Number.MAX_SAFE_INTEGER)) return bad(`history counter ${current.value} is absurd`);
  const drop = repeatedFloats(fields, HISTORY.popPingDropRate);
  if (!drop.ok) return bad(drop.message);
  // The drop buffer is the one every firmware has had; without it the history is unusable.
  if (drop.value.length === 0) return fail('history_missing', 'the history has no pop_ping_drop_rate buffer');
  const length = drop.value.length;
  const buffers: (Float32Array | null)[] = [];
  for (const [field, name] of [
    [HISTORY.popPingLatencyMs, 'pop_ping_latency_ms'],
    [HISTORY.downlinkThroughputBps, 'downlink_throughput_bps'],
    [HISTORY.uplinkThroughputBps, 'uplink_throughput_bps'],
  ] as const) {
    const values = repeatedFloats(fields, field);
    if (!values.ok) return bad(values.message);
    if (values.value.length !== 0 && values.value.length !== length) {
      return bad(`${name} holds ${values.value.length} seconds, pop_ping_drop_rate ${length}`);
    }
    buffers.push(values.value.length === 0 ? null : values.value);
  }
  const outageParts = repeatedMessages(fields, HISTORY.outages);
  if (!outageParts.ok) return bad(outageParts.message);
  const outages: DishOutage[] = [];
  for (const bytes of outageParts.value.slice(-MAX_OUTAGES)) {
    const outageFields = readFields(bytes);
    if (!outageFields.ok) return bad(`an outage is not protobuf: ${outageFields.message}`);
    const outage = tryReadOutage(outageFields.value);
    if (!outage.ok) return outage;
    outages.push(outage.value);
  }
  return ok({
    counter: Number(current.value ?? 0n),
    length,
    popPingDropRate: drop.value,
    popPingLatencyMs: buffers[0] ?? null,
    downlinkBps: buffers[1] ?? null,
    uplinkBps: buffers[2] ?? null,
    outages,
  });
}
