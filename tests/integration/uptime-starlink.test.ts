import { createServer } from 'node:net';
import { type Clock, systemClock } from '@pantau/agent';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttp2GrpcClient } from '../../agent/src/probes/terminal/grpc-unary.js';
import { createStarlinkDish } from '../../agent/src/probes/terminal/starlink-dish.js';
import { createStarlinkUptimeSource } from '../../agent/src/probes/uptime/starlink-uptime.js';
import { createUptimeProbe } from '../../agent/src/probes/uptime/uptime-probe.js';
import { FakeClock, fakeHost } from '../helpers/fakes.js';
import { answerOk, type GrpcDish, grpcMessage, startGrpcDish } from '../helpers/grpc-dish.js';
import { freePort } from '../helpers/ports.js';
import { dishStatusResponse } from '../helpers/starlink.js';
import { waitFor } from '../helpers/wait.js';

const signal = () => new AbortController().signal;

function source(port: number, clock: Clock = systemClock, timeoutMs = 2000) {
  const grpc = createHttp2GrpcClient(clock);
  return createStarlinkUptimeSource(
    createStarlinkDish({ host: '127.0.0.1', port, timeoutMs, reuseMs: 0 }, { grpc, clock }),
  );
}

describe('Starlink dish uptime against a real gRPC-over-HTTP/2 peer', () => {
  let dish: GrpcDish | undefined;
  afterEach(async () => {
    await dish?.stop();
    dish = undefined;
  });

  it('asks Handle with get_status and reads uptime_s, then closes its connection', async () => {
    dish = await startGrpcDish((stream) => answerOk(stream, dishStatusResponse(648_000)));
    expect(await source(dish.port).read(signal())).toEqual({ ok: true, value: 648_000_000 });
    const call = dish.calls[0];
    expect(call?.headers).toMatchObject({
      ':method': 'POST',
      ':path': '/SpaceX.API.Device.Device/Handle',
      'content-type': 'application/grpc',
      te: 'trailers',
    });
    // One uncompressed frame of 3 bytes: Request { get_status (1004): {} }.
    expect([...(call?.body ?? [])]).toEqual([0, 0, 0, 0, 3, 0xe2, 0x3e, 0x00]);
    await waitFor('the session to close', async () => (dish?.openSessions() === 0 ? true : null));
  });

  it('gives terminal_timeout when the dish accepts the call and never answers', async () => {
    dish = await startGrpcDish(() => {});
    const clock = new FakeClock();
    const reading = source(dish.port, clock, 1500).read(signal());
    await dish.nextCall();
    clock.advance(1499);
    clock.advance(1);
    expect(await reading).toMatchObject({ ok: false, code: 'terminal_timeout' });
    await waitFor('the session to close', async () => (dish?.openSessions() === 0 ? true : null));
  });

  it('stops at once when the probe is cut short', async () => {
    dish = await startGrpcDish(() => {});
    const controller = new AbortController();
    const reading = source(dish.port, new FakeClock()).read(controller.signal);
    await dish.nextCall();
    controller.abort();
    expect(await reading).toMatchObject({ ok: false, code: 'terminal_timeout' });
  });

  it('gives terminal_error with the message for a non-zero grpc-status, in the trailers or alone', async () => {
    dish = await startGrpcDish((stream) => {
      stream.respond({
        ':status': 200,
        'content-type': 'application/grpc',
        'grpc-status': '12',
        'grpc-message': 'Unimplemented%20request',
      });
      stream.end();
    });
    const trailersOnly = await source(dish.port).read(signal());
    expect(trailersOnly).toMatchObject({ ok: false, code: 'terminal_error' });
    expect(!trailersOnly.ok && trailersOnly.message).toBe('grpc-status 12: Unimplemented request');

    dish.behaviour = (stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '7', 'grpc-message': '%zz' }));
      stream.end();
    };
    const inTrailers = await source(dish.port).read(signal());
    expect(inTrailers).toMatchObject({ ok: false, code: 'terminal_error', message: 'grpc-status 7: %zz' });
  });

  it.each([
    [
      'an HTML page',
      (stream: Parameters<Parameters<typeof startGrpcDish>[0]>[0]) => {
        stream.respond({ ':status': 200, 'content-type': 'text/html' });
        stream.end('<html>router login</html>');
      },
    ],
    [
      'HTTP 404',
      (stream: Parameters<Parameters<typeof startGrpcDish>[0]>[0]) => {
        stream.respond({ ':status': 404 });
        stream.end();
      },
    ],
    [
      'no grpc-status at all',
      (stream: Parameters<Parameters<typeof startGrpcDish>[0]>[0]) => {
        stream.respond({ ':status': 200, 'content-type': 'application/grpc' });
        stream.end(grpcMessage(dishStatusResponse(5)));
      },
    ],
    [
      'a frame whose length lies',
      (stream: Parameters<Parameters<typeof startGrpcDish>[0]>[0]) => {
        stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
        stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
        stream.end(Buffer.from([0, 0, 0, 0, 99, 1, 2]));
      },
    ],
    [
      'garbage protobuf in a good frame',
      (stream: Parameters<Parameters<typeof startGrpcDish>[0]>[0]) => answerOk(stream, Buffer.from([0xa2, 0x7d, 0x7f])),
    ],
    [
      'an answer larger than any dish status',
      (stream: Parameters<Parameters<typeof startGrpcDish>[0]>[0]) => answerOk(stream, Buffer.alloc(300 * 1024, 1)),
    ],
  ])('gives terminal_bad_response for %s', async (_name, behaviour) => {
    dish = await startGrpcDish(behaviour);
    expect(await source(dish.port).read(signal())).toMatchObject({ ok: false, code: 'terminal_bad_response' });
  });

  it('gives terminal_is_router when a Starlink router answers with its wifi_get_status', async () => {
    // Response { wifi_get_status (3004): {} }: key (3004 << 3) | 2 = varint e2 bb 01, length 0.
    dish = await startGrpcDish((stream) => answerOk(stream, Buffer.from([0xe2, 0xbb, 0x01, 0x00])));
    expect(await source(dish.port).read(signal())).toMatchObject({ ok: false, code: 'terminal_is_router' });
  });

  it('gives terminal_bad_response for a peer that does not speak HTTP/2', async () => {
    const server = createServer((socket) => socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      expect(await source(port).read(signal())).toMatchObject({ ok: false, code: 'terminal_bad_response' });
    } finally {
      server.close();
    }
  });

  it('gives terminal_unreachable when nothing listens', async () => {
    const port = await freePort();
    expect(await source(port).read(signal())).toMatchObject({ ok: false, code: 'terminal_unreachable' });
  });

  it("fills the uptime section's terminalUptimeMs, and null with the code when the dish is gone", async () => {
    dish = await startGrpcDish((stream) => answerOk(stream, dishStatusResponse(3600)));
    const probe = createUptimeProbe({
      host: fakeHost(),
      clock: systemClock,
      agentStartMonotonicMs: systemClock.monotonicMs(),
      terminal: source(dish.port),
    });
    expect(await probe.measure(signal())).toMatchObject({ terminalUptimeMs: 3_600_000, error: null });
    await dish.stop();
    dish = undefined;
    expect(await probe.measure(signal())).toMatchObject({
      systemUptimeMs: 3_600_000,
      terminalUptimeMs: null,
      error: 'terminal_unreachable',
    });
  });
});
