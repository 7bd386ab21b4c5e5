import { describe, expect, it } from 'vitest';
import { parseDishHistory } from '../../../../agent/src/probes/terminal/dish-history.js';
import { parseDishStatus } from '../../../../agent/src/probes/terminal/dish-status.js';
import { type HistoryCursor, historyWindow } from '../../../../agent/src/probes/terminal/history-window.js';
import { writeMessageField, writeVarintField } from '../../../../agent/src/probes/terminal/protobuf.js';
import { shareCalls } from '../../../../agent/src/probes/terminal/shared-call.js';
import { FakeClock } from '../../../helpers/fakes.js';
import { HEALTHY, historyResponse, type StatusShape, statusResponse } from '../../../helpers/starlink.js';

function status(shape: StatusShape) {
  const parsed = parseDishStatus(statusResponse(shape));
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
}

describe('dish status answers', () => {
  it('reads the retired state field of firmware before late 2021, unknown values as their number', () => {
    const legacy = (value: number) =>
      parseDishStatus(writeMessageField(2004, Buffer.concat([writeVarintField(1006, value)])));
    expect(legacy(2)).toMatchObject({ ok: true, value: { state: 'searching' } });
    expect(legacy(7)).toMatchObject({ ok: true, value: { state: '7' } });
  });

  it('says an update is pending from any of the flags starlink-grpc-tools reads', () => {
    expect(status(HEALTHY).updatePending).toBe(false);
    expect(status({ ...HEALTHY, softwareUpdateState: 6 }).updatePending).toBe(true);
    expect(status({ ...HEALTHY, alerts: [8] }).updatePending).toBe(true);
    const { alerts: _a, softwareUpdateState: _s, ...bare } = HEALTHY;
    expect(status(bare).updatePending).toBeNull();
    expect(status({ ...bare, extra: writeVarintField(1030, 1) }).updatePending).toBe(true);
  });

  it('takes the last occurrence of an alert, as protobuf does', () => {
    const alerts = Buffer.concat([writeVarintField(3, 1), writeVarintField(6, 1), writeVarintField(3, 0)]);
    const parsed = parseDishStatus(writeMessageField(2004, writeMessageField(1005, alerts)));
    expect(parsed).toMatchObject({ ok: true, value: { alerts: ['slow_ethernet_speeds'] } });
  });

  it.each([
    ['a float where a varint goes', writeMessageField(2004, writeMessageField(1016, Buffer.from('x')))],
    ['an outage cut short', writeMessageField(2004, writeMessageField(1014, Buffer.from([0x10])))],
    ['a string that is a varint', writeMessageField(2004, writeMessageField(1, writeVarintField(3, 5)))],
  ])('refuses %s with terminal_bad_response', (_name, body) => {
    expect(parseDishStatus(body)).toMatchObject({ ok: false, code: 'terminal_bad_response' });
  });
});

describe('dish history answers', () => {
  const flat = () => ({ down: 800, up: 80, drop: 0, latency: 25 });

  it('refuses buffers of unequal length, and a history without its drop buffer', () => {
    const good = historyResponse({ counter: 10, length: 4, perSecond: flat });
    expect(parseDishHistory(good)).toMatchObject({ ok: true, value: { counter: 10, length: 4 } });
    const short = Buffer.concat([
      good.subarray(0, good.length),
      writeMessageField(2006, writeMessageField(1003, Buffer.alloc(4))),
    ]);
    expect(parseDishHistory(short)).toMatchObject({ ok: false, code: 'terminal_bad_response' });
    expect(parseDishHistory(writeMessageField(2006, writeVarintField(1, 5)))).toMatchObject({
      ok: false,
      code: 'history_missing',
    });
  });

  it('sees a reboot by the uptime where the dish gives no boot count', () => {
    const history = parseDishHistory(historyResponse({ counter: 500, length: 900, perSecond: flat }));
    if (!history.ok) throw new Error(history.message);
    const { bootCount: _b, ...noCount } = HEALTHY;
    const prev: HistoryCursor = {
      counter: 400,
      bootCount: null,
      lastOutageStartMs: null,
      monotonicMs: 0,
      wallMs: 0,
      clockSynced: false,
    };
    const reading = (uptimeS: number) => ({
      history: history.value,
      status: status({ ...noCount, uptimeS }),
      monotonicMs: 3_600_000,
      wallMs: 3_600_000,
      clockSynced: false,
    });
    // Up 10 minutes, an hour after the previous reading: it rebooted; every second since is new.
    expect(historyWindow(prev, reading(600))).toMatchObject({ rebooted: true, seconds: 500 });
    expect(historyWindow(prev, reading(7200))).toMatchObject({ rebooted: false, seconds: 100 });
    // Across a restart only synchronised wall clocks are trusted for the elapsed time.
    expect(historyWindow({ ...prev, monotonicMs: null }, reading(600))).toMatchObject({ rebooted: false });
  });
});

describe('calls shared by the probes of a sample', () => {
  it('gives callers in flight and just after the same call, and a later caller a new one', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const call = shareCalls(
      async () => ++calls,
      clock,
      1000,
      () => -1,
    );
    const signal = new AbortController().signal;
    expect(await Promise.all([call(signal), call(signal)])).toEqual([1, 1]);
    clock.advance(999);
    expect(await call(signal)).toBe(1);
    clock.advance(1);
    expect(await call(signal)).toBe(2);
    const aborted = new AbortController();
    aborted.abort();
    expect(await call(aborted.signal)).toBe(-1);
  });

  it('passes a bug (a rejected call) to every caller instead of leaving them waiting', async () => {
    const call = shareCalls<number>(
      async () => Promise.reject(new Error('bug')),
      new FakeClock(),
      1000,
      () => -1,
    );
    const signal = new AbortController().signal;
    await expect(Promise.all([call(signal), call(signal)])).rejects.toThrow('bug');
  });
});
