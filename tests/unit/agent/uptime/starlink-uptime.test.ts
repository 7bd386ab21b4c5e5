import { fail, ok } from '@pantau/shared';
import { describe, expect, it } from 'vitest';
import type { GrpcUnaryClient, GrpcUnaryRequest } from '../../../../agent/src/probes/terminal/grpc-unary.js';
import { writeMessageField, writeVarintField } from '../../../../agent/src/probes/terminal/protobuf.js';
import { createStarlinkDish } from '../../../../agent/src/probes/terminal/starlink-dish.js';
import { REQUEST, STARLINK_HANDLE_PATH, starlinkRequest } from '../../../../agent/src/probes/terminal/starlink-wire.js';
import { createStarlinkUptimeSource } from '../../../../agent/src/probes/uptime/starlink-uptime.js';
import { FakeClock } from '../../../helpers/fakes.js';
import { dishStatusResponse } from '../../../helpers/starlink.js';

type Answer = Awaited<ReturnType<GrpcUnaryClient['call']>>;

function sourceAnswering(answer: () => Answer, calls: GrpcUnaryRequest[] = []) {
  const grpc: GrpcUnaryClient = {
    call: async (request) => {
      calls.push(request);
      return answer();
    },
  };
  const dish = createStarlinkDish(
    { host: '192.168.100.1', port: 9200, timeoutMs: 1500, reuseMs: 0 },
    { grpc, clock: new FakeClock() },
  );
  return createStarlinkUptimeSource(dish);
}

const read = (source: ReturnType<typeof sourceAnswering>) => source.read(new AbortController().signal);

describe('Starlink dish uptime', () => {
  it('asks get_status (Request field 1004, an empty message)', () => {
    // Key (1004 << 3) | 2 = 8034 = varint e2 3e, then length 0.
    expect([...starlinkRequest(REQUEST.getStatus)]).toEqual([0xe2, 0x3e, 0x00]);
  });

  it('reads dish_get_status.device_state.uptime_s among the other fields', async () => {
    expect(await read(sourceAnswering(() => ok(dishStatusResponse(648_000))))).toEqual({
      ok: true,
      value: 648_000_000,
    });
  });

  it('reads an empty device_state as 0 s (proto3 leaves zero out of the wire)', async () => {
    const body = writeMessageField(2004, writeMessageField(2, Buffer.alloc(0)));
    expect(await read(sourceAnswering(() => ok(body)))).toEqual({ ok: true, value: 0 });
  });

  it('names a Starlink router that answers instead of the dish', async () => {
    const router = writeMessageField(3004, Buffer.alloc(0));
    expect(await read(sourceAnswering(() => ok(router)))).toMatchObject({ ok: false, code: 'terminal_is_router' });
  });

  it.each([
    ['no dish_get_status and no router status', writeMessageField(1015, Buffer.alloc(0))],
    ['no device_state', writeMessageField(2004, writeVarintField(1001, 3))],
    ['uptime_s as bytes', writeMessageField(2004, writeMessageField(2, writeMessageField(1, Buffer.from('x'))))],
    ['not protobuf', Buffer.from('<html>hello</html>')],
    ['garbage inside dish_get_status', writeMessageField(2004, Buffer.from([0x12, 0x09, 0x01]))],
    ['an absurd uptime', writeMessageField(2004, writeMessageField(2, writeVarintField(1, 2n ** 63n)))],
  ])('fails with terminal_bad_response on %s', async (_name, body) => {
    expect(await read(sourceAnswering(() => ok(body)))).toMatchObject({ ok: false, code: 'terminal_bad_response' });
  });

  it('calls Handle on the configured dish and passes a transport failure through', async () => {
    const calls: GrpcUnaryRequest[] = [];
    let answer: Answer = ok(dishStatusResponse(60));
    const source = sourceAnswering(() => answer, calls);
    expect(await read(source)).toEqual({ ok: true, value: 60_000 });
    expect(calls[0]).toMatchObject({ host: '192.168.100.1', port: 9200, path: STARLINK_HANDLE_PATH, timeoutMs: 1500 });
    answer = fail('terminal_timeout', 'no answer');
    expect(await read(source)).toMatchObject({ ok: false, code: 'terminal_timeout' });
  });
});
