import { fail, ok } from '@pantau/shared';
import { describe, expect, it } from 'vitest';
import type { GrpcUnaryRequest } from '../../../../agent/src/probes/uptime/grpc-unary.js';
import { writeMessageField, writeVarintField } from '../../../../agent/src/probes/uptime/protobuf.js';
import {
  createStarlinkUptimeSource,
  dishUptimeMs,
  STARLINK_HANDLE_PATH,
  starlinkStatusRequest,
} from '../../../../agent/src/probes/uptime/starlink-uptime.js';
import { dishStatusResponse } from '../../../helpers/starlink.js';

describe('Starlink dish uptime', () => {
  it('asks get_status (Request field 1004, an empty message)', () => {
    // Key (1004 << 3) | 2 = 8034 = varint e2 3e, then length 0.
    expect([...starlinkStatusRequest()]).toEqual([0xe2, 0x3e, 0x00]);
  });

  it('reads dish_get_status.device_state.uptime_s among the other fields', () => {
    expect(dishUptimeMs(dishStatusResponse(648_000))).toEqual({ ok: true, value: 648_000_000 });
  });

  it('reads an empty device_state as 0 s (proto3 leaves zero out of the wire)', () => {
    const body = writeMessageField(2004, writeMessageField(2, Buffer.alloc(0)));
    expect(dishUptimeMs(body)).toEqual({ ok: true, value: 0 });
  });

  it.each([
    ['no dish_get_status (a Starlink router answers wifi_get_status)', writeMessageField(3004, Buffer.alloc(0))],
    ['no device_state', writeMessageField(2004, writeVarintField(1001, 3))],
    ['uptime_s as bytes', writeMessageField(2004, writeMessageField(2, writeMessageField(1, Buffer.from('x'))))],
    ['not protobuf', Buffer.from('<html>hello</html>')],
    ['garbage inside dish_get_status', writeMessageField(2004, Buffer.from([0x12, 0x09, 0x01]))],
    ['an absurd uptime', writeMessageField(2004, writeMessageField(2, writeVarintField(1, 2n ** 63n)))],
  ])('fails with terminal_bad_response on %s', (_name, body) => {
    expect(dishUptimeMs(body)).toMatchObject({ ok: false, code: 'terminal_bad_response' });
  });

  it('calls Handle on the configured dish and passes a transport failure through', async () => {
    const calls: GrpcUnaryRequest[] = [];
    let answer: Awaited<ReturnType<Parameters<typeof createStarlinkUptimeSource>[0]['grpc']['call']>> = ok(
      dishStatusResponse(60),
    );
    const source = createStarlinkUptimeSource({
      grpc: {
        call: async (request) => {
          calls.push(request);
          return answer;
        },
      },
      host: '192.168.100.1',
      port: 9200,
      timeoutMs: 1500,
    });
    expect(await source.read(new AbortController().signal)).toEqual({ ok: true, value: 60_000 });
    expect(calls[0]).toMatchObject({ host: '192.168.100.1', port: 9200, path: STARLINK_HANDLE_PATH, timeoutMs: 1500 });
    answer = fail('terminal_timeout', 'no answer');
    expect(await source.read(new AbortController().signal)).toMatchObject({ ok: false, code: 'terminal_timeout' });
  });
});
