import { type AgentConfig, agentConfigSchema, systemClock } from '@pantau/agent';
import { type Sample, sampleSchema } from '@pantau/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { createProbes } from '../../agent/src/probes/registry.js';
import { cursorFromSamples } from '../../agent/src/probes/terminal/cursor-seed.js';
import { createHttp2GrpcClient } from '../../agent/src/probes/terminal/grpc-unary.js';
import type { HistoryCursor } from '../../agent/src/probes/terminal/history-window.js';
import { REQUEST, starlinkRequest } from '../../agent/src/probes/terminal/starlink-wire.js';
import { createSampler } from '../../agent/src/sampler.js';
import { FakeClock, fakeHost, silentLogger } from '../helpers/fakes.js';
import { answerOk, type GrpcDish, grpcMessage, startGrpcDish } from '../helpers/grpc-dish.js';
import { fakeProbeDeps } from '../helpers/probe-deps.js';
import { HEALTHY, type HistoryShape, historyResponse, type StatusShape, statusResponse } from '../helpers/starlink.js';

/** 8 Mbit/s down and 1 Mbit/s up every second; pings dropped in every tenth second. */
const TRAFFIC: HistoryShape['perSecond'] = (k) => ({ down: 8e6, up: 1e6, drop: k % 10 === 0 ? 0.5 : 0, latency: 30 });
const T0 = 1_790_000_000_000;

interface DishState {
  status: StatusShape | Buffer;
  history: HistoryShape | Buffer;
}

/** A real gRPC-over-HTTP/2 peer answering get_status and get_history from `state`. */
async function startDish(state: DishState): Promise<GrpcDish & { asked: string[] }> {
  const statusBody = grpcMessage(starlinkRequest(REQUEST.getStatus));
  const historyBody = grpcMessage(starlinkRequest(REQUEST.getHistory));
  const asked: string[] = [];
  const dish = await startGrpcDish((stream, _headers, body) => {
    if (body.equals(statusBody)) {
      asked.push('status');
      answerOk(stream, Buffer.isBuffer(state.status) ? state.status : statusResponse(state.status));
    } else if (body.equals(historyBody)) {
      asked.push('history');
      answerOk(stream, Buffer.isBuffer(state.history) ? state.history : historyResponse(state.history));
    } else {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '12' });
      stream.end();
    }
  });
  return Object.assign(dish, { asked });
}

function config(port: number): AgentConfig {
  return agentConfigSchema.parse({
    siteId: 's1',
    probes: {
      latency: { enabled: false },
      clients: { enabled: false },
      host: { enabled: false },
      usage: { source: 'starlink' },
      terminal: { kind: 'starlink', host: '127.0.0.1', port },
    },
  });
}

/** The agent's probes and sampler against the dish, on a clock the test moves a minute a sample. */
function site(port: number, seed: HistoryCursor | null) {
  const clock = new FakeClock(T0, 0);
  const probes = createProbes(
    config(port),
    fakeProbeDeps({ clock, grpc: createHttp2GrpcClient(systemClock), terminalSeed: seed }),
  );
  let seq = 0;
  const sampler = createSampler({
    probes,
    clock,
    host: fakeHost(),
    bootId: 'b1',
    nextSeq: () => ++seq,
    probeTimeoutMs: 10_000,
    agentStartMonotonicMs: 0,
    log: silentLogger(),
  });
  return {
    names: probes.map((p) => p.name),
    async sample(): Promise<Sample> {
      clock.advance(60_000);
      // As the collector reads it: the wire contract fills what a probe left out with null.
      return sampleSchema.parse(await sampler.take());
    },
  };
}

describe('Starlink terminal, history and usage against a real gRPC-over-HTTP/2 dish', () => {
  let dish: Awaited<ReturnType<typeof startDish>> | undefined;
  afterEach(async () => {
    await dish?.stop();
    dish = undefined;
  });

  it('asks the dish once a sample for its status and once for its history, whichever probes read them', async () => {
    const state: DishState = { status: HEALTHY, history: { counter: 5000, length: 900, perSecond: TRAFFIC } };
    dish = await startDish(state);
    const agent = site(dish.port, null);
    expect(agent.names).toEqual(['uptime', 'terminal', 'usage']);

    const first = await agent.sample();
    expect(first.probes?.terminal).toMatchObject({
      source: 'starlink',
      state: 'connected',
      popPingLatencyMs: 31.5,
      popPingDropPct: 0,
      obstructed: false,
      obstructedPct: 1.25,
      obstructionValidSec: 7797,
      snrAboveNoiseFloor: true,
      alerts: [],
      outageCause: null,
      ethSpeedMbps: 1000,
      softwareVersion: '2026.05.26.mr80668',
      updatePending: false,
      dishBootCount: 174,
      historyCounter: 5000,
      historySeconds: null,
      error: null,
    });
    expect(first.probes?.usage).toMatchObject({ source: 'starlink', rxBytes: null, error: 'no_baseline' });
    expect(first.probes?.uptime).toMatchObject({ terminalUptimeMs: 86_400_000 });
    expect(dish.asked.sort()).toEqual(['history', 'status']);

    state.history = {
      counter: 5060,
      length: 900,
      perSecond: TRAFFIC,
      outages: [{ cause: 6, startUnixMs: T0 + 20_000, durationMs: 4_500 }],
    };
    const second = await agent.sample();
    expect(second.probes?.usage).toMatchObject({
      intervalMs: 60_000,
      rxBytes: 60_000_000,
      txBytes: 7_500_000,
      peakRxBitsPerSec: 8_000_000,
      peakTxBitsPerSec: 1_000_000,
      counterReset: false,
      error: null,
    });
    expect(second.probes?.terminal).toMatchObject({
      historyCounter: 5060,
      historySeconds: 60,
      historyLostSeconds: 0,
      pingDropSharePct: 10,
      outageSecondsByCause: { obstructed: 4.5 },
      lastOutageStartMs: T0 + 20_000,
    });
    expect(dish.asked.sort()).toEqual(['history', 'history', 'status', 'status']);

    // The same outage listed again is not counted again.
    state.history = { ...state.history, counter: 5120 };
    expect((await agent.sample()).probes?.terminal).toMatchObject({ historySeconds: 60, outageSecondsByCause: {} });
  });

  it('counts every second once across an agent restart, from the cursor in the newest stored sample', async () => {
    const state: DishState = { status: HEALTHY, history: { counter: 1000, length: 900, perSecond: TRAFFIC } };
    dish = await startDish(state);
    const before = site(dish.port, null);
    const stored = [await before.sample()];
    state.history = { counter: 1060, length: 900, perSecond: TRAFFIC };
    stored.push(await before.sample());

    // The agent stops; the dish records two more minutes; a new run reads the spool's newest sample.
    state.history = { counter: 1180, length: 900, perSecond: TRAFFIC };
    const after = site(dish.port, cursorFromSamples(stored));
    const resumed = await after.sample();
    expect(resumed.probes?.usage).toMatchObject({ intervalMs: 120_000, rxBytes: 120_000_000, error: null });
    expect(resumed.probes?.terminal).toMatchObject({ historySeconds: 120, historyLostSeconds: 0 });
  });

  it('says so when the buffer wrapped while the agent was away: what it held, the seconds lost', async () => {
    const state: DishState = { status: HEALTHY, history: { counter: 2000, length: 900, perSecond: TRAFFIC } };
    dish = await startDish(state);
    const agent = site(dish.port, null);
    await agent.sample();
    state.history = { counter: 3000, length: 900, perSecond: TRAFFIC };
    const wrapped = await agent.sample();
    expect(wrapped.probes?.usage).toMatchObject({
      intervalMs: 900_000,
      rxBytes: 900_000_000,
      counterReset: true,
      error: 'history_wrapped',
    });
    expect(wrapped.probes?.terminal).toMatchObject({ historySeconds: 900, historyLostSeconds: 100, error: null });
  });

  it('counts the seconds since a dish reboot as new and marks the figure partial', async () => {
    const state: DishState = { status: HEALTHY, history: { counter: 40_000, length: 900, perSecond: TRAFFIC } };
    dish = await startDish(state);
    const agent = site(dish.port, null);
    await agent.sample();
    state.status = { ...HEALTHY, bootCount: 175, uptimeS: 45 };
    state.history = { counter: 30, length: 900, perSecond: TRAFFIC };
    const rebooted = await agent.sample();
    expect(rebooted.probes?.usage).toMatchObject({ intervalMs: 30_000, rxBytes: 30_000_000, counterReset: true });
    expect(rebooted.probes?.usage?.error).toBeNull();
    expect(rebooted.probes?.uptime).toMatchObject({ terminalUptimeMs: 45_000 });
    expect(rebooted.probes?.terminal).toMatchObject({ dishBootCount: 175, historySeconds: 30 });
  });

  it('reads an outage in progress as the state, and counts it only once it has ended', async () => {
    const outage = { cause: 4, startUnixMs: T0 + 30_000, durationMs: 12_000 };
    const { latencyMs: _noPings, ...noLatency } = HEALTHY;
    const state: DishState = {
      status: { ...noLatency, outage, dropRate: 1 },
      history: { counter: 700, length: 900, perSecond: TRAFFIC },
    };
    dish = await startDish(state);
    const agent = site(dish.port, null);
    await agent.sample();
    state.history = { counter: 760, length: 900, perSecond: TRAFFIC, outages: [outage] };
    const during = await agent.sample();
    expect(during.probes?.terminal).toMatchObject({
      state: 'searching',
      outageCause: 'searching',
      outageDurationMs: 12_000,
      popPingLatencyMs: null,
      popPingDropPct: 100,
      outageSecondsByCause: {},
    });
    state.status = HEALTHY;
    state.history = { counter: 820, length: 900, perSecond: TRAFFIC, outages: [{ ...outage, durationMs: 40_000 }] };
    expect((await agent.sample()).probes?.terminal).toMatchObject({
      state: 'connected',
      outageCause: null,
      outageSecondsByCause: { searching: 40 },
    });
  });

  it('gives null for what a changed firmware leaves out, and keeps names it does not know', async () => {
    const state: DishState = {
      status: {
        uptimeS: 600,
        alerts: [3, 9, 40],
        outage: { cause: 99, startUnixMs: T0, durationMs: 2000 },
        // A field from a firmware newer than this agent: skipped.
        extra: Buffer.from([0xb8, 0x41, 0x01]),
      },
      history: { counter: 600, length: 900, perSecond: TRAFFIC, without: ['down', 'up'] },
    };
    dish = await startDish(state);
    const agent = site(dish.port, null);
    await agent.sample();
    state.history = { counter: 660, length: 900, perSecond: TRAFFIC, without: ['down', 'up'] };
    const sample = await agent.sample();
    expect(sample.probes?.terminal).toMatchObject({
      state: '99',
      outageCause: '99',
      alerts: ['alert_40', 'is_heating', 'thermal_throttle'],
      popPingLatencyMs: null,
      popPingDropPct: null,
      obstructed: null,
      obstructedPct: null,
      ethSpeedMbps: null,
      softwareVersion: null,
      dishBootCount: null,
      updatePending: false,
      historySeconds: 60,
      pingDropSharePct: 10,
      error: null,
    });
    expect(sample.probes?.usage).toMatchObject({ rxBytes: null, txBytes: null, intervalMs: 60_000, error: null });
  });

  it('keeps the status and the cursor when the history is garbage, and catches up on the next sample', async () => {
    const state: DishState = { status: HEALTHY, history: { counter: 100, length: 900, perSecond: TRAFFIC } };
    dish = await startDish(state);
    const agent = site(dish.port, null);
    await agent.sample();
    state.history = Buffer.from([0xb2, 0xbb, 0x01, 0x05, 0x08, 0xff]);
    const broken = await agent.sample();
    expect(broken.probes?.terminal).toMatchObject({
      state: 'connected',
      historySeconds: null,
      error: 'terminal_bad_response',
    });
    expect(broken.probes?.usage).toMatchObject({ rxBytes: null, error: 'terminal_bad_response' });
    state.history = { counter: 220, length: 900, perSecond: TRAFFIC };
    expect((await agent.sample()).probes?.usage).toMatchObject({ intervalMs: 120_000, error: null });
  });

  it('names a Starlink router that answers in place of the dish', async () => {
    const router = Buffer.from([0xe2, 0xbb, 0x01, 0x00]);
    dish = await startDish({ status: router, history: Buffer.from([0xf2, 0xbb, 0x01, 0x00]) });
    const sample = await site(dish.port, null).sample();
    expect(sample.probes?.terminal).toMatchObject({ state: null, error: 'terminal_is_router' });
    expect(sample.probes?.uptime).toMatchObject({ terminalUptimeMs: null, error: 'terminal_is_router' });
  });

  it('gives terminal_unreachable for every section when the dish is gone', async () => {
    dish = await startDish({ status: HEALTHY, history: { counter: 1, length: 900, perSecond: TRAFFIC } });
    const port = dish.port;
    await dish.stop();
    dish = undefined;
    const sample = await site(port, null).sample();
    expect(sample.probes?.terminal).toMatchObject({ error: 'terminal_unreachable' });
    expect(sample.probes?.usage).toMatchObject({ error: 'terminal_unreachable' });
  });
});
