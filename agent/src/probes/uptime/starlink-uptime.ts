import { fail, ok, type Result } from '@pantau/shared';
import type { GrpcErrorCode, GrpcUnaryClient } from './grpc-unary.js';
import { messageField, readFields, varintField, writeMessageField } from './protobuf.js';

/**
 * A Starlink dish's uptime, from its unauthenticated gRPC service on the LAN (192.168.100.1:9200).
 * Field numbers from the dish's own reflection (SpaceX.API.Device, as dumped by starlink-grpc-tools
 * and starlink-rs): Request.get_status = 1004 (an empty GetStatusRequest) → Response.dish_get_status
 * = 2004 → DishGetStatusResponse.device_state = 2 → DeviceState.uptime_s = 1 (uint64).
 */
export const STARLINK_HANDLE_PATH = '/SpaceX.API.Device.Device/Handle';
export const STARLINK_FIELDS = {
  requestGetStatus: 1004,
  responseDishGetStatus: 2004,
  dishStatusDeviceState: 2,
  deviceStateUptimeS: 1,
} as const;

/** A dish's status answer is a few kilobytes; anything near this is not a dish. */
const MAX_RESPONSE_BYTES = 256 * 1024;

/** The terminal's uptime, whatever kind of terminal answers. */
export interface TerminalUptimeSource {
  readonly kind: string;
  read(signal: AbortSignal): Promise<Result<number, GrpcErrorCode>>;
}

export function starlinkStatusRequest(): Buffer {
  return writeMessageField(STARLINK_FIELDS.requestGetStatus, new Uint8Array(0));
}

/** uptime_s from a Response message, in milliseconds. */
export function dishUptimeMs(response: Uint8Array): Result<number, 'terminal_bad_response'> {
  const bad = (message: string) => fail('terminal_bad_response', message);
  const top = readFields(response);
  if (!top.ok) return bad(`the answer is not protobuf: ${top.message}`);
  const status = messageField(top.value, STARLINK_FIELDS.responseDishGetStatus);
  if (!status.ok) return bad(status.message);
  // A Starlink router also answers Handle, but with wifi_get_status: not a dish.
  if (status.value === null) return bad('the answer has no dish_get_status (not a dish?)');
  const statusFields = readFields(status.value);
  if (!statusFields.ok) return bad(`dish_get_status is not protobuf: ${statusFields.message}`);
  const state = messageField(statusFields.value, STARLINK_FIELDS.dishStatusDeviceState);
  if (!state.ok) return bad(state.message);
  if (state.value === null) return bad('dish_get_status has no device_state');
  const stateFields = readFields(state.value);
  if (!stateFields.ok) return bad(`device_state is not protobuf: ${stateFields.message}`);
  const uptime = varintField(stateFields.value, STARLINK_FIELDS.deviceStateUptimeS);
  if (!uptime.ok) return bad(uptime.message);
  // proto3 leaves a zero out of the wire: a present device_state without uptime_s is 0 s.
  const seconds = uptime.value ?? 0n;
  if (seconds > BigInt(Math.floor(Number.MAX_SAFE_INTEGER / 1000))) return bad(`uptime_s ${seconds} is absurd`);
  return ok(Number(seconds) * 1000);
}

export function createStarlinkUptimeSource(deps: {
  readonly grpc: GrpcUnaryClient;
  readonly host: string;
  readonly port: number;
  readonly timeoutMs: number;
}): TerminalUptimeSource {
  const message = starlinkStatusRequest();
  return {
    kind: 'starlink',
    async read(signal) {
      const answer = await deps.grpc.call(
        {
          host: deps.host,
          port: deps.port,
          path: STARLINK_HANDLE_PATH,
          message,
          timeoutMs: deps.timeoutMs,
          maxResponseBytes: MAX_RESPONSE_BYTES,
        },
        signal,
      );
      return answer.ok ? dishUptimeMs(answer.value) : answer;
    },
  };
}
