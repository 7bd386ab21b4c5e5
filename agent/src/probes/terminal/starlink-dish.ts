import { fail, type Result } from '@pantau/shared';
import type { Clock } from '../../clock.js';
import { type DishHistory, type DishHistoryErrorCode, parseDishHistory } from './dish-history.js';
import { type DishAnswerErrorCode, type DishStatus, parseDishStatus } from './dish-status.js';
import type { GrpcErrorCode, GrpcUnaryClient } from './grpc-unary.js';
import { shareCalls } from './shared-call.js';
import { REQUEST, STARLINK_HANDLE_PATH, starlinkRequest } from './starlink-wire.js';

export type TerminalErrorCode = GrpcErrorCode | DishAnswerErrorCode | DishHistoryErrorCode;

/**
 * A Starlink dish on the LAN (192.168.100.1:9200, no authentication), asked at most once a sample
 * for its status and once for its history, whichever probes want them: the uptime probe reads the
 * status's uptime, the terminal probe the status and history, the usage probe the history.
 */
export interface StarlinkDish {
  status(signal: AbortSignal): Promise<Result<DishStatus, TerminalErrorCode>>;
  history(signal: AbortSignal): Promise<Result<DishHistory, TerminalErrorCode>>;
}

export interface StarlinkDishOptions {
  readonly host: string;
  readonly port: number;
  /** Bound on each call, connection included; no retries (the next sample is the retry). */
  readonly timeoutMs: number;
  /** A result is shared with callers that ask this soon after it came (the probes of one sample). */
  readonly reuseMs: number;
}

/** A status answer is a few KB; history holds 15 minutes of seconds on current firmware, 12 hours on old. */
const MAX_STATUS_BYTES = 256 * 1024;
const MAX_HISTORY_BYTES = 4 * 1024 * 1024;

const cutShort = () => fail('terminal_timeout', 'the call was cut short (the probe ran out of time)');

export function createStarlinkDish(
  options: StarlinkDishOptions,
  deps: { readonly grpc: GrpcUnaryClient; readonly clock: Clock },
): StarlinkDish {
  function ask(method: number, maxResponseBytes: number): Promise<Result<Buffer, GrpcErrorCode>> {
    const request = {
      host: options.host,
      port: options.port,
      path: STARLINK_HANDLE_PATH,
      message: starlinkRequest(method),
      timeoutMs: options.timeoutMs,
      maxResponseBytes,
    };
    // The call is bounded by timeoutMs; no one caller's signal may cut it short for the others.
    return deps.grpc.call(request, new AbortController().signal);
  }
  /** One method of the dish, asked once for the probes of a sample, its answer parsed. */
  function shared<T>(method: number, maxBytes: number, parse: (answer: Buffer) => Result<T, TerminalErrorCode>) {
    return shareCalls<Result<T, TerminalErrorCode>>(
      async () => {
        const answer = await ask(method, maxBytes);
        return answer.ok ? parse(answer.value) : answer;
      },
      deps.clock,
      options.reuseMs,
      cutShort,
    );
  }
  return {
    status: shared(REQUEST.getStatus, MAX_STATUS_BYTES, parseDishStatus),
    history: shared(REQUEST.getHistory, MAX_HISTORY_BYTES, parseDishHistory),
  };
}
