import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBackoff } from '../../../agent/src/delivery/backoff.js';
import { CounterFile } from '../../../agent/src/delivery/counter-file.js';
import { createEpochSource } from '../../../agent/src/delivery/epochs.js';
import { openRunMarker } from '../../../agent/src/host/run-marker.js';
import { captureLogger } from '../../helpers/fakes.js';

describe('CounterFile', () => {
  it('hands out growing numbers that survive a restart', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'pantau-counter-')), 'state', 'seq');
    const first = new CounterFile(path);
    expect([first.next(), first.next(), first.next()]).toEqual([0, 1, 2]);
    const again = new CounterFile(path);
    expect(again.last).toBe(2);
    expect(again.next()).toBe(3);
    expect(readFileSync(path, 'utf8')).toBe('3\n');
  });

  it('refuses a corrupt counter rather than reuse numbers', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'pantau-counter-')), 'seq');
    writeFileSync(path, 'not a number');
    expect(() => new CounterFile(path)).toThrow(/does not hold a counter/);
  });
});

describe('connection epochs', () => {
  it('still come, growing, when the disk refuses them; said once; saved again once it can', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'pantau-epoch-')), 'epoch');
    const counter = new CounterFile(path);
    const { log, lines } = captureLogger('info');
    const next = createEpochSource(counter, log);
    expect(next()).toBe(0);
    // The temporary file's name taken by a folder: every write fails, as on a full card.
    mkdirSync(`${path}.tmp`);
    expect([next(), next()]).toEqual([1, 2]);
    expect(readFileSync(path, 'utf8')).toBe('0\n');
    expect(lines.filter((l) => l.event === 'epoch_not_saved')).toHaveLength(1);
    rmSync(`${path}.tmp`, { recursive: true });
    expect(next()).toBe(3);
    expect(readFileSync(path, 'utf8')).toBe('3\n');
    expect(lines.filter((l) => l.event === 'epoch_saved')).toHaveLength(1);
  });
});

describe('full-jitter backoff', () => {
  it('waits a random share of a ceiling that doubles from 1 s to 5 min, and resets', () => {
    const top = createBackoff({ baseMs: 1000, capMs: 300_000 }, () => 0.999_999);
    const ceilings = Array.from({ length: 12 }, () => top.next());
    expect(ceilings.slice(0, 4)).toEqual([1000, 2000, 4000, 8000]);
    expect(ceilings.at(-1)).toBe(300_000);
    top.reset();
    expect(top.next()).toBe(1000);
    const bottom = createBackoff({ baseMs: 1000, capMs: 300_000 }, () => 0);
    expect(bottom.next()).toBe(0);
    const half = createBackoff({ baseMs: 1000, capMs: 300_000 }, () => 0.5);
    expect([half.next(), half.next(), half.next()]).toEqual([500, 1000, 2000]);
  });
});

describe('run marker', () => {
  it('says whether the previous run stopped cleanly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pantau-marker-'));
    expect(openRunMarker(dir).previousRunClean).toBe(false);
    const run = openRunMarker(dir);
    run.markClean();
    expect(openRunMarker(dir).previousRunClean).toBe(true);
    // The marker is consumed at start: a run that then dies leaves none.
    expect(openRunMarker(dir).previousRunClean).toBe(false);
  });
});
