import {
  createEvaluatorGate,
  type EvaluatorSession,
  type FeedCursor,
  type StoredBatch,
  type StoredEvents,
  type StoredStatus,
} from '@pantau/collector';
import { type SiteStatus, siteStatusSchema, type TelemetryBatch } from '@pantau/shared';
import { describe, expect, it } from 'vitest';
import { captureLogger } from '../../helpers/fakes.js';

/** A lease the test hands out and takes back. */
function fakeLease() {
  let epoch: number | null = null;
  const listeners: ((epoch: number | null) => void)[] = [];
  let ticks = 0;
  return {
    start() {},
    async stop() {
      this.set(null);
    },
    epoch: () => epoch,
    onChange(listener: (epoch: number | null) => void) {
      listeners.push(listener);
    },
    async tick() {
      ticks++;
    },
    set(next: number | null) {
      if (next === epoch) return;
      epoch = next;
      for (const l of listeners) l(next);
    },
    ticks: () => ticks,
  };
}

/** Batches as a store would list them: a cursor is the index of the last one read. */
function fakeEvents() {
  const batches: StoredBatch[] = [];
  const statuses: StoredStatus[] = [];
  const events: StoredEvents = {
    startCursor: async () => saved,
    async batches(after, limit) {
      const items = batches.slice(Number(after), Number(after) + limit);
      return { items, next: String(Number(after) + items.length) };
    },
    statuses: async (sinceMs) => statuses.filter((s) => s.receivedMs >= sinceMs),
  };
  let saved: FeedCursor = '0';
  return {
    events,
    batches,
    statuses,
    save: (c: FeedCursor) => {
      saved = c;
    },
  };
}

const batch = (siteId: string, seq: number): TelemetryBatch => ({ siteId, seq }) as unknown as TelemetryBatch;
const status = (siteId: string, state: 'online' | 'offline', epoch: number): SiteStatus =>
  siteStatusSchema.parse({
    v: 1,
    siteId,
    state,
    reason: state === 'online' ? 'connected' : 'connection_lost',
    epoch,
    atMs: 1_000,
    bootId: '0123456789abcdef',
    agentVersion: '1.0.0',
  });

/** Runners the gate builds, one per epoch, recording what they were fed. */
function fakeSessions(save: (c: FeedCursor) => void) {
  const runs: {
    epoch: number;
    fed: string[];
    started: boolean;
    stopped: boolean;
    fence: () => void;
    refuse: boolean;
  }[] = [];
  const control = { failStart: false };
  const session = (epoch: number, fenced: () => void): EvaluatorSession => {
    const run = { epoch, fed: [] as string[], started: false, stopped: false, fence: fenced, refuse: false };
    runs.push(run);
    return {
      runner: {
        start: async () => {
          if (control.failStart) throw new Error('database away');
          run.started = true;
        },
        stop: async () => {
          run.stopped = true;
        },
        onBatch: (b) => {
          if (run.stopped) throw new Error('fed after stop');
          run.fed.push(`batch ${b.siteId}/${(b as unknown as { seq: number }).seq}`);
          return undefined;
        },
        onStatus: (s) => {
          run.fed.push(`status ${s.siteId} ${s.state} ${s.epoch}`);
          return undefined;
        },
        onBroker: () => undefined,
        idle: async () => {},
        evaluatorMetrics: () => ({ pendingEvents: run.fed.length, sinks: new Map() }),
      },
      async saveCursor(c) {
        if (run.refuse) {
          fenced();
          throw Object.assign(new Error('fenced'), { code: 'fenced' });
        }
        save(c);
      },
    };
  };
  return { runs, session, control };
}

function setup() {
  const lease = fakeLease();
  const store = fakeEvents();
  const sessions = fakeSessions(store.save);
  const polls: (() => void)[] = [];
  const { log, lines } = captureLogger('info');
  const gate = createEvaluatorGate(
    { feedPollMs: 100, pageSize: 2, maxPagesPerPoll: 10, statusSlackMs: 1_000 },
    {
      lease,
      events: store.events,
      session: sessions.session,
      every: (_ms, fn) => {
        polls.push(fn);
        return () => polls.splice(polls.indexOf(fn), 1);
      },
      log,
    },
  );
  /** One poll, and everything it queued. */
  const poll = async () => {
    for (const fn of [...polls]) fn();
    await settle();
  };
  return { lease, store, sessions, gate, poll, lines };
}

/** Lets queued promise chains run out. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('the evaluator gate', () => {
  it('a follower runs no evaluator and ignores its own ingest; it keeps ingesting', async () => {
    const { gate, sessions, poll } = setup();
    await gate.start();
    expect(gate.onBatch()).toBeUndefined();
    expect(gate.onStatus()).toBeUndefined();
    await poll();
    expect(sessions.runs).toEqual([]);
    expect(gate.epoch()).toBeNull();
    expect(gate.evaluatorMetrics()).toBeNull();
    await gate.stop();
  });

  it('the leader evaluates what every collector stored, page by page, and saves how far it read', async () => {
    const { gate, lease, store, sessions, poll } = setup();
    await gate.start();
    store.batches.push({ batch: batch('a', 1), receivedMs: 1 }, { batch: batch('b', 1), receivedMs: 1 });
    store.batches.push({ batch: batch('a', 2), receivedMs: 2 });
    store.statuses.push({ status: status('a', 'online', 3), receivedMs: 5_000 });
    lease.set(7);
    await settle();
    expect(gate.epoch()).toBe(7);
    expect(gate.evaluatorMetrics()).toEqual({ pendingEvents: 0, sinks: new Map() });
    await poll();
    const run = sessions.runs[0];
    expect(run?.epoch).toBe(7);
    expect(run?.fed).toEqual(['batch a/1', 'batch b/1', 'batch a/2', 'status a online 3']);
    expect(await store.events.startCursor()).toBe('3');
    // Read again on the next poll, the same status is not news; a new batch and a will are.
    store.batches.push({ batch: batch('b', 2), receivedMs: 3 });
    store.statuses.push({ status: status('b', 'offline', 1), receivedMs: 5_500 });
    await poll();
    expect(run?.fed.slice(4)).toEqual(['batch b/2', 'status b offline 1']);
    await gate.stop();
    expect(run?.stopped).toBe(true);
  });

  it('on losing the lease the runner stops and is fed no more; the next leader resumes at the saved cursor', async () => {
    const { gate, lease, store, sessions, poll } = setup();
    await gate.start();
    lease.set(1);
    store.batches.push({ batch: batch('a', 1), receivedMs: 1 });
    await poll();
    lease.set(null);
    await settle();
    expect(sessions.runs[0]?.stopped).toBe(true);
    expect(gate.epoch()).toBeNull();
    store.batches.push({ batch: batch('a', 2), receivedMs: 2 });
    await poll();
    expect(sessions.runs[0]?.fed).toEqual(['batch a/1']);
    lease.set(2);
    await settle();
    await poll();
    expect(sessions.runs[1]?.fed).toEqual(['batch a/2']);
    await gate.stop();
  });

  it('a clean stop stops the runner before it gives the lease up', async () => {
    const { gate, lease, sessions } = setup();
    const order: string[] = [];
    const leaseStop = lease.stop.bind(lease);
    lease.stop = async () => {
      order.push(`lease stopped, runner stopped: ${sessions.runs[0]?.stopped}`);
      await leaseStop();
    };
    await gate.start();
    lease.set(3);
    await settle();
    await gate.stop();
    expect(order).toEqual(['lease stopped, runner stopped: true']);
    await gate.stop();
  });

  it('a refused write stops the evaluator, is logged, and asks the lease to check its hold', async () => {
    const { gate, lease, store, sessions, poll, lines } = setup();
    await gate.start();
    lease.set(4);
    await settle();
    const run = sessions.runs[0];
    if (run === undefined) throw new Error('no runner started');
    run.refuse = true;
    store.batches.push({ batch: batch('a', 1), receivedMs: 1 });
    await poll();
    expect(run.stopped).toBe(true);
    expect(lease.ticks()).toBeGreaterThan(0);
    expect(gate.counters().fencedWrites).toBe(1);
    expect(lines.some((l) => l.event === 'evaluator_fenced' && l.epoch === 4)).toBe(true);
    // The lease still says 4 until its next round: the gate does not lead that epoch again.
    await poll();
    expect(sessions.runs).toHaveLength(1);
    expect(await store.events.startCursor()).toBe('0');
    lease.set(null);
    lease.set(5);
    await settle();
    await poll();
    expect(sessions.runs[1]?.fed).toEqual(['batch a/1']);
    await gate.stop();
  });

  it('a runner that cannot start is tried again at the next poll', async () => {
    const { gate, lease, sessions, poll } = setup();
    sessions.control.failStart = true;
    await gate.start();
    lease.set(1);
    await settle();
    expect(gate.epoch()).toBeNull();
    sessions.control.failStart = false;
    await poll();
    expect(gate.epoch()).toBe(1);
    await gate.stop();
  });
});
