import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBudgetFile, createMemoryBudgetStore } from '../../../../agent/src/budget/budget-file.js';
import { createDataBudget, utcMonthOf } from '../../../../agent/src/budget/data-budget.js';
import { captureLogger, FakeClock, silentLogger } from '../../../helpers/fakes.js';

const NOV_30 = Date.UTC(2026, 10, 30, 23, 59, 0);
const DEC_1 = Date.UTC(2026, 11, 1, 0, 1, 0);

function budget(options: {
  cap?: number;
  synced?: () => boolean;
  wallMs?: number;
  store?: ReturnType<typeof createMemoryBudgetStore>;
}) {
  const clock = new FakeClock(options.wallMs ?? NOV_30);
  const store = options.store ?? createMemoryBudgetStore();
  const b = createDataBudget({
    monthlyBytes: options.cap ?? 0,
    store,
    clock,
    clockSynced: async () => (options.synced ?? (() => true))(),
    monthOf: utcMonthOf,
    persistEveryMs: 60_000,
  });
  return { b, clock, store };
}

describe('data budget', () => {
  it('counts bytes, reports used and cap, and knows when a spend would exceed the cap', async () => {
    const { b } = budget({ cap: 10_000 });
    await b.checkMonth();
    b.add(4000);
    b.add(1999.2);
    b.add(-5);
    expect(b.usage()).toEqual({ budgetUsedBytes: 6000, budgetCapBytes: 10_000 });
    expect(b.wouldExceed(4000)).toBe(false);
    expect(b.wouldExceed(4001)).toBe(true);
  });

  it('is unlimited with a cap of 0: no cap reported, nothing exceeds it', () => {
    const { b } = budget({ cap: 0 });
    b.add(1e12);
    expect(b.usage()).toEqual({ budgetUsedBytes: 1e12, budgetCapBytes: null });
    expect(b.wouldExceed(1e12)).toBe(false);
  });

  it('starts a new month when the synced clock crosses the boundary', async () => {
    const { b, clock, store } = budget({ cap: 10_000 });
    await b.checkMonth();
    b.add(700);
    clock.advance(DEC_1 - NOV_30);
    await b.checkMonth();
    expect(b.usage().budgetUsedBytes).toBe(0);
    expect(store.state).toEqual({ month: '2026-12', usedBytes: 0 });
  });

  it('keeps counting in the current month while the clock is not synchronised', async () => {
    let synced = true;
    const { b, clock } = budget({ synced: () => synced });
    await b.checkMonth();
    b.add(700);
    // After a power cut the Pi's clock may say anything; it is not trusted until NTP syncs.
    synced = false;
    clock.advance(DEC_1 - NOV_30);
    await b.checkMonth();
    b.add(300);
    expect(b.usage().budgetUsedBytes).toBe(1000);
    synced = true;
    await b.checkMonth();
    expect(b.usage().budgetUsedBytes).toBe(0);
  });

  it('adopts bytes counted before the clock was ever synced into the first synced month', async () => {
    let synced = false;
    const { b, store } = budget({ synced: () => synced });
    b.add(500);
    await b.checkMonth();
    expect(b.usage().budgetUsedBytes).toBe(500);
    synced = true;
    await b.checkMonth();
    expect(b.usage().budgetUsedBytes).toBe(500);
    expect(store.state).toEqual({ month: '2026-11', usedBytes: 500 });
  });

  it('persists at most once per interval while counting, and on flush', async () => {
    const { b, clock, store } = budget({});
    await b.checkMonth();
    b.add(100);
    expect(store.state?.usedBytes).toBe(0);
    clock.advance(60_000);
    b.add(100);
    expect(store.state?.usedBytes).toBe(200);
    b.add(50);
    expect(store.state?.usedBytes).toBe(200);
    b.flush();
    expect(store.state?.usedBytes).toBe(250);
  });

  it('survives a restart through its file in dataDir, written atomically', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'pantau-budget-')), 'state', 'budget.json');
    const first = budget({});
    const file = createBudgetFile(path, silentLogger());
    const b1 = createDataBudget({
      monthlyBytes: 1000,
      store: file,
      clock: first.clock,
      clockSynced: async () => true,
      monthOf: utcMonthOf,
    });
    await b1.checkMonth();
    b1.add(321);
    b1.flush();
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ v: 1, month: '2026-11', usedBytes: 321 });
    const b2 = createDataBudget({
      monthlyBytes: 1000,
      store: createBudgetFile(path, silentLogger()),
      clock: first.clock,
      clockSynced: async () => true,
      monthOf: utcMonthOf,
    });
    await b2.checkMonth();
    expect(b2.usage()).toEqual({ budgetUsedBytes: 321, budgetCapBytes: 1000 });
  });

  it('starts again at zero from a corrupt file instead of stopping the agent', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'pantau-budget-')), 'budget.json');
    writeFileSync(path, '{"v":1,"month":"nope"');
    expect(createBudgetFile(path, silentLogger()).read()).toBeNull();
    writeFileSync(path, '{"v":1,"month":"2026-13x","usedBytes":-4}');
    expect(createBudgetFile(path, silentLogger()).read()).toBeNull();
  });

  it('keeps counting when its file cannot be written, says so once, and saves once it can', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pantau-budget-'));
    const path = join(dir, 'budget.json');
    // The temporary file's name taken by a folder: every write fails, as on a full card.
    mkdirSync(`${path}.tmp`);
    const { log, lines } = captureLogger('info');
    const clock = new FakeClock(Date.UTC(2026, 10, 5));
    const b = createDataBudget({
      monthlyBytes: 1000,
      store: createBudgetFile(path, log),
      clock,
      clockSynced: async () => true,
      monthOf: utcMonthOf,
      persistEveryMs: 60_000,
    });
    await b.checkMonth();
    for (let i = 0; i < 3; i++) {
      clock.advance(60_000);
      b.add(100);
    }
    expect(b.usage().budgetUsedBytes).toBe(300);
    expect(existsSync(path)).toBe(false);
    expect(lines.filter((l) => l.event === 'budget_not_saved')).toHaveLength(1);
    rmSync(`${path}.tmp`, { recursive: true });
    b.flush();
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ usedBytes: 300 });
  });
});
