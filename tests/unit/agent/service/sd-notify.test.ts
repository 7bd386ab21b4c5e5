import {
  type CycleTick,
  createServiceNotifier,
  feedingWatchdog,
  type NotifySend,
  notifyTargetFromEnv,
  systemdNotifySend,
} from '@pantau/agent';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualCycles } from '../../../helpers/agent-io.js';
import { captureLogger, FakeClock } from '../../../helpers/fakes.js';
import { type NotifySocket, startNotifySocket } from '../../../helpers/notify-socket.js';
import { tempDirs } from '../../../helpers/temp-dirs.js';
import { waitFor } from '../../../helpers/wait.js';

const dirs = tempDirs();
afterAll(() => dirs.removeAll());

describe('the service manager variables', () => {
  it('reads the socket and the watchdog timeout; no socket means no notifications', () => {
    expect(notifyTargetFromEnv({ NOTIFY_SOCKET: '/run/systemd/notify', WATCHDOG_USEC: '300000000' }, 7)).toEqual({
      socketPath: '/run/systemd/notify',
      watchdogMs: 300_000,
    });
    expect(notifyTargetFromEnv({ NOTIFY_SOCKET: '@abstract' }, 7)).toEqual({
      socketPath: '@abstract',
      watchdogMs: null,
    });
    expect(notifyTargetFromEnv({}, 7)).toBeNull();
    expect(notifyTargetFromEnv({ NOTIFY_SOCKET: 'relative' }, 7)).toBeNull();
  });

  it('ignores a watchdog meant for another process', () => {
    const env = { NOTIFY_SOCKET: '/run/systemd/notify', WATCHDOG_USEC: '1000000', WATCHDOG_PID: '8' };
    expect(notifyTargetFromEnv(env, 7)?.watchdogMs).toBeNull();
    expect(notifyTargetFromEnv(env, 8)?.watchdogMs).toBe(1000);
  });
});

describe('sd_notify over a real unix datagram socket', () => {
  let socket: NotifySocket;
  beforeEach(async () => {
    socket = await startNotifySocket(dirs.make('notify'));
  });
  afterEach(async () => {
    await socket.stop();
  });

  function notifier(watchdogMs: number | null, clock = new FakeClock()) {
    const { log, lines } = captureLogger('info');
    const target = { socketPath: socket.path, watchdogMs };
    return {
      clock,
      lines,
      notifier: createServiceNotifier({ target, send: systemdNotifySend(), clock, log, minWatchdogMs: 240_000 }),
    };
  }

  it('says READY=1 with a status, and STOPPING=1', async () => {
    const { notifier: n } = notifier(300_000);
    await n.ready('sampling every 60 s');
    await n.stopping();
    expect(socket.messages).toEqual(['READY=1\nSTATUS=sampling every 60 s', 'BARRIER=1', 'STOPPING=1', 'BARRIER=1']);
  });

  it('extends a watchdog shorter than a cycle needs, in the READY message', async () => {
    const { notifier: n, lines } = notifier(60_000);
    await n.ready('sampling every 60 s');
    expect(socket.messages[0]).toBe('WATCHDOG_USEC=240000000\nREADY=1\nSTATUS=sampling every 60 s');
    expect(lines.find((l) => l.event === 'watchdog_extended')).toMatchObject({ fromMs: 60_000, toMs: 240_000 });
  });

  it('feeds the watchdog after each finished sample cycle, at most every quarter of its timeout', async () => {
    const clock = new FakeClock();
    const { notifier: n } = notifier(300_000, clock);
    await n.ready('up');
    const cycles = new ManualCycles();
    const runs: CycleTick[] = [];
    feedingWatchdog(cycles, n).start(async (tick) => {
      runs.push(tick);
    });
    clock.advance(75_000);
    await cycles.fire();
    await waitFor('WATCHDOG=1', () => socket.messages.includes('WATCHDOG=1'));
    clock.advance(60_000);
    await cycles.fire();
    clock.advance(20_000);
    await cycles.fire();
    await waitFor('a second WATCHDOG=1', () => socket.messages.filter((m) => m === 'WATCHDOG=1').length === 2);
    expect(runs).toHaveLength(3);
    // 60 s after the first feed is under a quarter of 300 s: not fed; 80 s after it is.
    expect(socket.messages.filter((m) => m === 'WATCHDOG=1')).toHaveLength(2);
  });
});

describe('the watchdog and the sample cycle', () => {
  it('is not fed while a cycle is stuck, and is fed once it finishes', async () => {
    const sent: string[][] = [];
    const send: NotifySend = async (_target, assignments) => {
      sent.push([...assignments]);
      return { ok: true };
    };
    const clock = new FakeClock();
    const target = { socketPath: '/run/systemd/notify', watchdogMs: 300_000 };
    const n = createServiceNotifier({ target, send, clock, log: captureLogger().log, minWatchdogMs: 1 });
    const cycles = new ManualCycles();
    let release = () => {};
    feedingWatchdog(cycles, n).start(() => new Promise<void>((resolve) => (release = resolve)));
    clock.advance(100_000);
    const cycle = cycles.fire();
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent).toEqual([]);
    release();
    await cycle;
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent).toEqual([['WATCHDOG=1']]);
  });
});

describe('without systemd', () => {
  it('sends nothing without NOTIFY_SOCKET', async () => {
    const sent: string[][] = [];
    const send: NotifySend = async (_target, assignments) => {
      sent.push([...assignments]);
      return { ok: true };
    };
    const n = createServiceNotifier({
      target: null,
      send,
      clock: new FakeClock(),
      log: captureLogger().log,
      minWatchdogMs: 1,
    });
    await n.ready('up');
    await n.alive();
    await n.stopping();
    expect(sent).toEqual([]);
  });

  it('logs notify_failed and carries on when systemd-notify is missing', async () => {
    const { log, lines } = captureLogger('info');
    const n = createServiceNotifier({
      target: { socketPath: '/nonexistent/notify', watchdogMs: 300_000 },
      send: systemdNotifySend('/nonexistent/systemd-notify'),
      clock: new FakeClock(),
      log,
      minWatchdogMs: 1,
    });
    await n.ready('up');
    expect(lines.find((l) => l.event === 'notify_failed')).toMatchObject({ code: 'notify_failed' });
  });
});
